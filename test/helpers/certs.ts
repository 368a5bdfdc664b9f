// Test certificates made with openssl at test time (argument arrays, no shell): an expired self-signed one, and a
// current leaf issued by a throwaway CA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  readonly key: string;
  readonly cert: string;
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

export function makeCerts(): { expiredSelfSigned: Pem; caSigned: Pem } {
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-certs-'));
  try {
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '01\n');
    writeFileSync(
      join(dir, 'ca.cnf'),
      '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\ncopy_extensions=copy\n[p]\ncommonName=supplied\n',
    );
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(dir, [
      'req',
      '-new',
      ...ec,
      '-keyout',
      'old.key',
      '-out',
      'old.csr',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    openssl(dir, [
      'ca',
      '-config',
      'ca.cnf',
      '-selfsign',
      '-keyfile',
      'old.key',
      '-in',
      'old.csr',
      '-out',
      'old.pem',
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200201000000Z',
      '-batch',
    ]);
    openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/CN=asmvs test CA',
      '-days',
      '2',
    ]);
    openssl(dir, [
      'req',
      '-new',
      ...ec,
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '2',
      '-copy_extensions',
      'copy',
    ]);
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return {
      expiredSelfSigned: { key: read('old.key'), cert: read('old.pem') },
      caSigned: { key: read('leaf.key'), cert: read('leaf.pem') },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed certificate for localhost/127.0.0.1 valid from now for `days` days. */
export function makeCertExpiringIn(days: number): Pem {
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-certs-'));
  try {
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-days',
      String(days),
    ]);
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
