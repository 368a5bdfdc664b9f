// Which ports nmap -sV only soft-matched: their <service> carries a service fingerprint (servicefp), which nmap
// prints whenever no hard match ended its probing. The report parser (parse-nmap-xml.ts) does not keep servicefp
// yet, so this reads nmap's XML for that one attribute; it belongs in the parser's NmapService.
export function softMatchedPorts(xml: string): Set<number> {
  const out = new Set<number>();
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)">(.*?)<\/port>/gs))
    if (/<service [^>]*servicefp=/.test(m[2] ?? '')) out.add(Number(m[1]));
  return out;
}
