// Package URLs (https://github.com/package-url/purl-spec) built from ecosystem, name and version when a report
// carries none. Only ecosystems whose purl type is unambiguous are mapped; others get no purl rather than a wrong one.
const TYPES: Readonly<Record<string, string>> = {
  npm: 'npm',
  'node-pkg': 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  pypi: 'pypi',
  pip: 'pypi',
  pipenv: 'pypi',
  poetry: 'pypi',
  'python-pkg': 'pypi',
  go: 'golang',
  gomod: 'golang',
  gobinary: 'golang',
  'crates.io': 'cargo',
  cargo: 'cargo',
  maven: 'maven',
  jar: 'maven',
  pom: 'maven',
  gradle: 'maven',
  nuget: 'nuget',
  rubygems: 'gem',
  bundler: 'gem',
  gemspec: 'gem',
  packagist: 'composer',
  composer: 'composer',
  debian: 'deb',
  ubuntu: 'deb',
  alpine: 'apk',
  apk: 'apk',
  deb: 'deb',
  rpm: 'rpm',
};

export function purlType(ecosystem: string | null | undefined): string | null {
  if (!ecosystem) return null;
  return TYPES[ecosystem.toLowerCase()] ?? null;
}

function enc(s: string): string {
  return encodeURIComponent(s).replace(/%3A/g, ':');
}

export function makePurl(ecosystem: string | null | undefined, name: string, version: string | null): string | null {
  const type = purlType(ecosystem);
  if (!type || name === '') return null;
  let path: string;
  if (type === 'maven' && name.includes(':')) {
    const [group = '', artifact = ''] = name.split(':');
    path = `${enc(group)}/${enc(artifact)}`;
  } else if (type === 'npm' && name.startsWith('@') && name.includes('/')) {
    const slash = name.indexOf('/');
    path = `${enc(name.slice(0, slash))}/${enc(name.slice(slash + 1))}`;
  } else if (type === 'golang') {
    path = name.split('/').map(enc).join('/');
  } else {
    path = enc(type === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name);
  }
  return `pkg:${type}/${path}${version ? '@' + enc(version) : ''}`;
}
