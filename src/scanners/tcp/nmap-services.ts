// nmap's nmap-services lists each port with how often it was found open on the Internet; sorting TCP entries by
// that frequency is exactly how nmap builds --top-ports. Pure, so the shipped list can be checked against the file.

export interface ServiceFrequency {
  readonly port: number;
  readonly name: string;
  readonly frequency: number;
}

export function parseNmapServices(text: string, protocol: 'tcp' | 'udp' = 'tcp'): ServiceFrequency[] {
  const out: ServiceFrequency[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [name, portProto, freq] = line.split(/\s+/);
    const match = /^(\d+)\/(tcp|udp|sctp)$/.exec(portProto ?? '');
    if (!name || !match || match[2] !== protocol) continue;
    out.push({ port: Number(match[1]), name, frequency: Number(freq) || 0 });
  }
  return out;
}

/** The n most frequently open ports, most frequent first (ties by port number, as nmap does). */
export function topPorts(entries: readonly ServiceFrequency[], n: number): number[] {
  return [...entries]
    .sort((a, b) => b.frequency - a.frequency || a.port - b.port)
    .slice(0, n)
    .map((e) => e.port);
}
