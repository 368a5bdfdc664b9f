// nmap's view of a host as ServiceResults, so nmap and the built-in scanners feed the same Asset shape.
import { cleanField, escapeForDisplay } from '../escape.ts';
import type { ServiceResult } from '../scanner.ts';
import type { NmapReport } from '../../normalizers/formats/nmap/nmap-report.ts';

export function servicesOf(report: NmapReport): ServiceResult[] {
  const out: ServiceResult[] = [];
  for (const host of report.hosts) {
    const address = host.addresses.find((a) => a.type === 'ipv4' || a.type === 'ipv6')?.addr ?? '';
    for (const p of host.ports) {
      if (p.state !== 'open') continue;
      const s = p.service;
      const attributes: Record<string, string> = {};
      if (s?.extrainfo) attributes.extrainfo = cleanField(s.extrainfo, 256) ?? '';
      if (s?.tunnel) attributes.tunnel = cleanField(s.tunnel, 32) ?? '';
      if (s?.method) attributes.method = cleanField(s.method, 32) ?? '';
      if (s?.conf !== null && s?.conf !== undefined) attributes.conf = String(s.conf);
      // Script output quotes what the service sent (banner, titles, certificates): escaped, like our banners.
      for (const script of p.scripts.slice(0, 20))
        attributes[`script:${cleanField(script.id, 64) ?? ''}`] = escapeForDisplay(script.output, 1024);
      out.push({
        host: address,
        hostname: cleanField(host.hostnames[0]?.name, 255),
        port: p.port,
        protocol: p.protocol === 'udp' ? 'UDP' : 'TCP',
        state: p.state,
        service: cleanField(s?.name),
        product: cleanField(s?.product),
        version: cleanField(s?.version),
        banner: null,
        tls: null,
        http: null,
        attributes,
      });
    }
  }
  return out;
}
