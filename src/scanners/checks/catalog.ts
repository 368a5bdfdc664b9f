// Every check asmvs runs: stable id, title, severity, finding type, description, remediation, references.
// The ids are part of finding fingerprints: never rename one.
import type { CheckSeverity } from './check.ts';

export interface CheckRule {
  readonly title: string;
  readonly severity: CheckSeverity;
  readonly type: 'MISCONFIGURATION' | 'EXPOSURE';
  readonly description: string;
  readonly remediation: string;
  readonly references: readonly string[];
}

export const CHECK_RULES = {
  'redis-unauthenticated': {
    title: 'Redis accepts commands without authentication',
    severity: 'high',
    type: 'EXPOSURE',
    description:
      'The Redis server answered PING and INFO without AUTH: anyone who can reach it can read and change all data and, through CONFIG, often execute code.',
    remediation:
      'Require authentication (requirepass or ACL users), bind to trusted interfaces, keep protected-mode on.',
    references: ['https://redis.io/docs/latest/operate/oss_and_stack/management/security/'],
  },
  'nats-unauthenticated': {
    title: 'NATS accepts clients without authentication',
    severity: 'high',
    type: 'EXPOSURE',
    description:
      'The NATS server does not require authentication: a client connected and was answered PONG without credentials, so anyone who can reach it can publish and subscribe to any subject.',
    remediation: 'Configure authorization (users, nkeys or JWT accounts) and TLS.',
    references: ['https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro'],
  },
  'mqtt-unauthenticated': {
    title: 'MQTT broker accepts anonymous clients',
    severity: 'high',
    type: 'EXPOSURE',
    description:
      'The MQTT broker accepted a CONNECT without user name or password (CONNACK 0): anyone who can reach it can publish and subscribe.',
    remediation:
      'Disable anonymous access (mosquitto: allow_anonymous false) and configure password or certificate authentication.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  'amqp-default-credentials': {
    title: 'AMQP broker accepts the default guest/guest credentials',
    severity: 'high',
    type: 'MISCONFIGURATION',
    description: 'The AMQP broker completed authentication with the well-known default credentials guest/guest.',
    remediation: 'Delete the guest user or change its password; restrict it to loopback (RabbitMQ loopback_users).',
    references: ['https://www.rabbitmq.com/docs/access-control#default-state'],
  },
  'postgres-no-password': {
    title: 'PostgreSQL accepts connections without a password',
    severity: 'critical',
    type: 'MISCONFIGURATION',
    description:
      'PostgreSQL authenticated the postgres superuser without a password (trust authentication in pg_hba.conf).',
    remediation: 'Replace trust with scram-sha-256 in pg_hba.conf for every network entry and reload.',
    references: ['https://www.postgresql.org/docs/current/auth-trust.html'],
  },
  'mysql-empty-root-password': {
    title: 'MySQL/MariaDB accepts root with an empty password',
    severity: 'critical',
    type: 'MISCONFIGURATION',
    description: 'The server authenticated the root user with an empty password.',
    remediation:
      'Set a strong root password or use unix_socket authentication for root; remove anonymous and passwordless accounts.',
    references: ['https://mariadb.com/kb/en/mysql_secure_installation/'],
  },
  'tls-certificate-expired': {
    title: 'TLS certificate has expired',
    severity: 'medium',
    type: 'MISCONFIGURATION',
    description:
      'The certificate the server presents is past its notAfter date; clients either fail or are trained to ignore warnings.',
    remediation: 'Renew the certificate and automate renewal.',
    references: ['https://cwe.mitre.org/data/definitions/298.html'],
  },
  'tls-certificate-self-signed': {
    title: 'TLS certificate is self-signed',
    severity: 'medium',
    type: 'MISCONFIGURATION',
    description:
      'The certificate is signed by its own key, so clients cannot authenticate the server and man-in-the-middle attacks go unnoticed.',
    remediation: 'Use a certificate issued by a trusted (public or internal) certificate authority.',
    references: ['https://cwe.mitre.org/data/definitions/295.html'],
  },
  'tls-old-protocol': {
    title: 'Server accepts deprecated TLS protocol versions',
    severity: 'medium',
    type: 'MISCONFIGURATION',
    description: 'The server completed a handshake with TLS 1.0 or 1.1 (or SSLv3), which RFC 8996 deprecates.',
    remediation: 'Accept TLS 1.2 and 1.3 only.',
    references: ['https://www.rfc-editor.org/rfc/rfc8996'],
  },
  'http-missing-security-headers': {
    title: 'HTTP response lacks security headers',
    severity: 'low',
    type: 'MISCONFIGURATION',
    description: 'The response to GET / lacks recommended security headers (listed in the evidence).',
    remediation:
      'Send Content-Security-Policy, X-Content-Type-Options: nosniff, X-Frame-Options (or CSP frame-ancestors) and, over HTTPS, Strict-Transport-Security.',
    references: ['https://owasp.org/www-project-secure-headers/'],
  },
  'http-server-version-disclosure': {
    title: 'HTTP server discloses its software version',
    severity: 'low',
    type: 'EXPOSURE',
    description:
      'The Server or X-Powered-By header names software and its version, which helps attackers pick exploits.',
    remediation:
      'Remove version numbers from Server and X-Powered-By (nginx: server_tokens off; Apache: ServerTokens Prod).',
    references: ['https://cwe.mitre.org/data/definitions/200.html'],
  },
  'http-directory-listing': {
    title: 'HTTP directory listing is enabled',
    severity: 'medium',
    type: 'EXPOSURE',
    description:
      'The server returns an automatically generated index of a directory, exposing file names and often files that were never meant to be published.',
    remediation: 'Disable automatic indexes (nginx: autoindex off; Apache: Options -Indexes).',
    references: ['https://cwe.mitre.org/data/definitions/548.html'],
  },
  'http-git-exposed': {
    title: 'Git repository exposed over HTTP',
    severity: 'high',
    type: 'EXPOSURE',
    description: '/.git/HEAD is served: the repository, its history and any secrets in it can usually be downloaded.',
    remediation: 'Do not deploy the .git directory, or deny access to /.git/ in the web server.',
    references: ['https://cwe.mitre.org/data/definitions/527.html'],
  },
} as const satisfies Record<string, CheckRule>;

export type CheckId = keyof typeof CHECK_RULES;
