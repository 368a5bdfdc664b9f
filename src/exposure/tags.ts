// Exposure tags: what kind of things an asset exposes. Derived from services (and check ids when known). Pure.
import type { Service } from '../schemas/types.gen.ts';

const CATEGORY: Readonly<Record<string, string>> = {
  http: 'web',
  https: 'web',
  postgresql: 'database',
  mysql: 'database',
  redis: 'database',
  mongodb: 'database',
  'ms-sql-s': 'database',
  oracle: 'database',
  elasticsearch: 'database',
  cassandra: 'database',
  memcached: 'database',
  ssh: 'remote-admin',
  telnet: 'remote-admin',
  'ms-wbt-server': 'remote-admin',
  vnc: 'remote-admin',
  rdp: 'remote-admin',
  winrm: 'remote-admin',
  amqp: 'message-broker',
  mqtt: 'message-broker',
  nats: 'message-broker',
  kafka: 'message-broker',
  smtp: 'mail',
  imap: 'mail',
  pop3: 'mail',
  ftp: 'file-transfer',
};

const CHECK_TAGS: Readonly<Record<string, string>> = {
  'amqp-default-credentials': 'default-credentials',
  'mysql-empty-root-password': 'default-credentials',
  'postgres-no-password': 'unauthenticated',
  'redis-unauthenticated': 'unauthenticated',
  'nats-unauthenticated': 'unauthenticated',
  'mqtt-unauthenticated': 'unauthenticated',
  'http-git-exposed': 'sensitive-files',
  'http-directory-listing': 'sensitive-files',
};

export function serviceTags(service: Service, now: number): string[] {
  const tags: string[] = [];
  const category = service.service ? CATEGORY[service.service] : undefined;
  if (category) tags.push(category);
  if (service.tls) {
    tags.push('tls');
    if (service.tls.notAfter !== null && service.tls.notAfter < now) tags.push('expired-cert');
    if (service.tls.selfSigned) tags.push('self-signed-cert');
    if (service.tls.protocols.some((p) => p === 'TLSv1' || p === 'TLSv1.1' || p === 'SSLv3')) tags.push('old-tls');
  }
  const a = service.attributes;
  if (a.auth === 'none' || a.auth_required === 'false') tags.push('unauthenticated');
  return tags;
}

export function assetTags(services: readonly Service[], checkIds: readonly string[], now: number): string[] {
  const tags = new Set<string>();
  for (const s of services) for (const t of serviceTags(s, now)) tags.add(t);
  for (const id of checkIds) {
    const t = CHECK_TAGS[id];
    if (t) tags.add(t);
  }
  return [...tags].sort();
}
