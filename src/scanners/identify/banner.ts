// Services that speak first (SSH, SMTP, FTP, MySQL/MariaDB, NATS): their greeting names them.
import { bannerText, cleanField, MAX_BANNER_BYTES } from '../escape.ts';
import { identified, type Identified } from './identified.ts';
import { parseMysqlGreeting } from './mysql-greeting.ts';

const SSH_PRODUCTS: [RegExp, string][] = [
  [/^OpenSSH_(\S+)/, 'OpenSSH'],
  [/^dropbear_(\S+)/i, 'Dropbear sshd'],
  [/^libssh[_-](\S+)/i, 'libssh'],
];

function ssh(line: string, banner: string): Identified | null {
  const m = /^SSH-([\d.]+)-(\S+)(?: (.*))?/.exec(line);
  if (!m) return null;
  const software = m[2] ?? '';
  const attributes: Record<string, string> = { protocol: m[1] ?? '' };
  const extra = cleanField(m[3]);
  if (extra) attributes.extrainfo = extra;
  for (const [re, product] of SSH_PRODUCTS) {
    const v = re.exec(software);
    if (v) return identified('ssh', { product, version: cleanField(v[1]), banner, attributes });
  }
  const [name, version] = software.split('_');
  return identified('ssh', { product: cleanField(name), version: cleanField(version), banner, attributes });
}

const SMTP_PRODUCTS: [RegExp, string][] = [
  [/ESMTP Postfix/i, 'Postfix smtpd'],
  [/ESMTP Exim (\S+)/i, 'Exim smtpd'],
  [/Sendmail (\S+?)[/;]/i, 'Sendmail'],
  [/OpenSMTPD/i, 'OpenSMTPD'],
  [/Microsoft ESMTP MAIL Service/i, 'Microsoft ESMTP'],
];

const FTP_PRODUCTS: [RegExp, string][] = [
  [/\(vsFTPd ([\d.]+)\)/i, 'vsftpd'],
  [/ProFTPD ([\d.]+\w*)/i, 'ProFTPD'],
  [/Pure-FTPd/i, 'Pure-FTPd'],
];

function byPatterns(service: string, line: string, banner: string, table: [RegExp, string][]): Identified {
  for (const [re, product] of table) {
    const m = re.exec(line);
    if (m) return identified(service, { product, version: cleanField(m[1]), banner });
  }
  return identified(service, { banner });
}

function nats(line: string, banner: string): Identified | null {
  if (!line.startsWith('INFO {')) return null;
  let info: Record<string, unknown>;
  try {
    info = JSON.parse(line.slice(5)) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof info !== 'object' || info === null || !('server_id' in info)) return null;
  const attributes: Record<string, string> = { auth_required: String(info.auth_required === true) };
  if (typeof info.server_name === 'string') attributes.server_name = cleanField(info.server_name) ?? '';
  if (info.tls_required === true) attributes.tls_required = 'true';
  if (info.jetstream === true) attributes.jetstream = 'true';
  return identified('nats', {
    product: 'NATS Server',
    version: typeof info.version === 'string' ? cleanField(info.version) : null,
    banner,
    attributes,
  });
}

/** Names a service from the bytes it sent unprompted; null when the greeting is not one we know. */
export function identifyBanner(data: Buffer): Identified | null {
  if (data.length === 0) return null;
  const mysql = parseMysqlGreeting(data);
  if (mysql) return mysql;
  // Parsed as latin1 (one char a byte); stored escaped.
  const banner = bannerText(data);
  const line = data.subarray(0, MAX_BANNER_BYTES).toString('latin1').split(/\r?\n/)[0] ?? '';
  if (line.startsWith('SSH-')) return ssh(line, banner);
  if (line.startsWith('INFO {')) return nats(line, banner);
  if (/^220[ -].*(SMTP|mail|Postfix|Exim|Sendmail)/i.test(line)) return byPatterns('smtp', line, banner, SMTP_PRODUCTS);
  if (/^220[ -]/.test(line)) return byPatterns('ftp', line, banner, FTP_PRODUCTS);
  return null;
}
