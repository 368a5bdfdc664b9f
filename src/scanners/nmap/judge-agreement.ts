// Who is right where asmvs and `nmap -sV` name a port differently. nmap's names are not all equal: a hard match
// ends its probing; a soft match only narrows it (the XML then carries a service fingerprint, `servicefp`), and
// nmap reports it when nothing better matched; method="table" is just the port's line in nmap-services. Soft
// matches are often wrong in one known way: an HTTP endpoint answers nmap's SIP OPTIONS or RTSP OPTIONS probe with
// a status line, and nmap calls it sip or rtsp. A plain HTTP request settles that dispute.
import type { ServiceResult } from '../scanner.ts';
import type { Comparison } from './compare-services.ts';

export type NmapMatch = 'hard' | 'soft' | 'guess' | 'none';
/** What an HTTP GET / to the port showed: an HTTP status line, something else, or not asked. */
export type HttpReferee = 'answers-http' | 'no-http' | null;
export type Judgement = 'agree' | 'asmvs-right' | 'nmap-right' | 'both-wrong' | 'unsettled' | 'asmvs-only' | 'neither';

export interface Judged extends Comparison {
  readonly match: NmapMatch;
  readonly referee: HttpReferee;
  readonly judgement: Judgement;
}

/** `softPorts`: ports whose nmap <service> carried a servicefp. */
export function nmapMatchOf(nmap: ServiceResult | undefined, softPorts: ReadonlySet<number>): NmapMatch {
  if (!nmap?.service) return 'none';
  if (nmap.attributes.method === 'table') return 'guess';
  return softPorts.has(nmap.port) ? 'soft' : 'hard';
}

const isWeb = (service: string | null): boolean => service !== null && /^https?(-|$)/.test(service);

/** An HTTP request can decide this row: the names differ and one side calls it a web service. */
export function needsReferee(row: Comparison): boolean {
  return row.verdict === 'disagree' && (isWeb(row.ours.service) || isWeb(row.nmap.service));
}

export function judge(row: Comparison, match: NmapMatch, referee: HttpReferee): Judgement {
  if (row.verdict === 'agree') return 'agree';
  if (row.nmap.service === null) return row.ours.service === null ? 'neither' : 'asmvs-only';
  const ours = isWeb(row.ours.service);
  const theirs = isWeb(row.nmap.service);
  if (referee === null || ours === theirs) return referee === 'answers-http' && !ours ? 'both-wrong' : 'unsettled';
  // Exactly one side says it is a web service; the request sides with it or against it.
  return (referee === 'answers-http') === ours ? 'asmvs-right' : 'nmap-right';
}

export function judgeRows(
  rows: readonly Comparison[],
  nmap: readonly ServiceResult[],
  softPorts: ReadonlySet<number>,
  referees: ReadonlyMap<number, HttpReferee>,
): Judged[] {
  return rows.map((row) => {
    const match = nmapMatchOf(
      nmap.find((s) => s.port === row.port),
      softPorts,
    );
    const referee = referees.get(row.port) ?? null;
    return { ...row, match, referee, judgement: judge(row, match, referee) };
  });
}

export interface AgreementSummary {
  /** Ports nmap hard-matched, and how many asmvs names the same. */
  readonly hard: { readonly total: number; readonly agree: number };
  readonly soft: {
    readonly total: number;
    readonly agree: number;
    readonly asmvsRight: number;
    readonly nmapRight: number;
    readonly unsettled: number;
  };
  /** Ports nmap only guessed from its port table or did not name, and how many asmvs named. */
  readonly unnamed: { readonly total: number; readonly asmvsNamed: number };
}

export function summarise(rows: readonly Judged[]): AgreementSummary {
  const of = (match: NmapMatch) => rows.filter((r) => r.match === match);
  const count = (list: readonly Judged[], j: Judgement) => list.filter((r) => r.judgement === j).length;
  const hard = of('hard');
  const soft = of('soft');
  const unnamed = [...of('guess'), ...of('none')];
  return {
    hard: { total: hard.length, agree: count(hard, 'agree') },
    soft: {
      total: soft.length,
      agree: count(soft, 'agree'),
      asmvsRight: count(soft, 'asmvs-right'),
      nmapRight: count(soft, 'nmap-right'),
      unsettled: soft.length - count(soft, 'agree') - count(soft, 'asmvs-right') - count(soft, 'nmap-right'),
    },
    unnamed: { total: unnamed.length, asmvsNamed: unnamed.filter((r) => r.ours.service !== null).length },
  };
}
