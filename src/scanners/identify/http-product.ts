// Product and version from an HTTP Server header, named as nmap names them where we know the server.
import { cleanField } from '../escape.ts';

const KNOWN: [RegExp, string][] = [
  [/^Apache(?:\/(\S+))?/i, 'Apache httpd'],
  [/^nginx(?:\/(\S+))?/i, 'nginx'],
  [/^Microsoft-IIS(?:\/(\S+))?/i, 'Microsoft IIS httpd'],
  [/^lighttpd(?:\/(\S+))?/i, 'lighttpd'],
  [/^Caddy/i, 'Caddy httpd'],
  [/^openresty(?:\/(\S+))?/i, 'OpenResty web app server'],
  [/^Jetty\(([^)]+)\)/i, 'Jetty'],
  [/^gunicorn(?:\/(\S+))?/i, 'Gunicorn'],
  [/^Werkzeug(?:\/(\S+))?/i, 'Werkzeug httpd'],
];

export function httpProduct(server: string | null | undefined): { product: string | null; version: string | null } {
  if (!server) return { product: null, version: null };
  for (const [re, product] of KNOWN) {
    const m = re.exec(server);
    if (m) return { product, version: cleanField(m[1]) };
  }
  const [name, version] = server.split(/[/\s]/);
  return { product: cleanField(name), version: cleanField(version && /\d/.test(version) ? version : null) };
}
