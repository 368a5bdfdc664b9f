// Bundled subdomain wordlist: the most common host labels on the Internet (short on purpose: every word is one
// query per domain; operators with bigger lists pass their own).
export const SUBDOMAIN_WORDS: readonly string[] = [
  'www', 'mail', 'remote', 'blog', 'webmail', 'server', 'ns1', 'ns2', 'smtp', 'secure', 'vpn', 'm', 'shop', 'ftp', 'mail2',
  'test', 'portal', 'ns', 'ww1', 'host', 'support', 'dev', 'web', 'bbs', 'ww42', 'mx', 'email', 'cloud', '1', 'mail1',
  '2', 'forum', 'owa', 'www2', 'gw', 'admin', 'store', 'mx1', 'cdn', 'api', 'exchange', 'app', 'gov', '2tty', 'vps',
  'govyty', 'hgfgdf', 'news', '1rer', 'lkjkui', 'staging', 'stage', 'beta', 'git', 'gitlab', 'jenkins', 'ci', 'jira',
  'confluence', 'wiki', 'intranet', 'internal', 'corp', 'db', 'mysql', 'postgres', 'redis', 'kafka', 'grafana',
  'prometheus', 'kibana', 'elastic', 'auth', 'sso', 'login', 'id', 'status', 'monitor', 'docs', 'static', 'assets',
  'img', 'media', 'files', 'backup', 'old', 'new', 'demo', 'sandbox', 'uat', 'qa', 'prod', 'k8s', 'registry',
  'docker', 'vault', 'proxy', 'gateway', 'mq', 'rabbitmq', 'mqtt', 'nats', 's3', 'autodiscover', 'dashboard',
];
