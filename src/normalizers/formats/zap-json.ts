// OWASP ZAP JSON report (the "Traditional JSON" report template): {"@programName","@version","site":[{"@name",
// "alerts":[…]}]}. The site's and the report's attributes precede the alerts, so alerts stream with them.
import type { FormatParserFactory } from '../draft.ts';
import { isObj, objs, str } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser, requireRootKeys } from './json-format.ts';
import { zapDrafts } from './zap-alert.ts';
import type { ZapAlert } from './zap-alert.ts';

export const zapJson: FormatParserFactory = (context, sink) =>
  jsonFormatParser({
    format: 'zap-json',
    treeLimit: context.jsonTreeLimit,
    collect: [
      {
        path: ['site', '*', 'alerts', '*'],
        onValue: (v, _path, scope) => {
          if (!isObj(v)) return;
          const scanner = { name: 'zap', version: str(scope[0], '@version') ?? context.scanner.version };
          for (const d of zapDrafts(alertOf(v), { name: str(scope[1], '@name') }, scanner)) sink(d);
        },
      },
    ],
    verify: (keys) => requireRootKeys('zap-json', keys, ['site', '@programName']),
  });

function alertOf(a: Obj): ZapAlert {
  return {
    pluginid: str(a, 'pluginid'),
    alertRef: str(a, 'alertRef'),
    name: str(a, 'name') ?? str(a, 'alert'),
    riskcode: str(a, 'riskcode'),
    confidence: str(a, 'confidence'),
    riskdesc: str(a, 'riskdesc'),
    desc: str(a, 'desc'),
    solution: str(a, 'solution'),
    reference: str(a, 'reference'),
    otherinfo: str(a, 'otherinfo'),
    cweid: str(a, 'cweid'),
    instances: objs(a, 'instances').map((i) => ({
      uri: str(i, 'uri'),
      method: str(i, 'method'),
      param: str(i, 'param'),
      evidence: str(i, 'evidence'),
    })),
  };
}
