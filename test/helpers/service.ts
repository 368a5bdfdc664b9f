// A ServiceResult on 127.0.0.1 with only what a test cares about filled in.
import type { ServiceResult } from '../../src/scanners/scanner.ts';

export function serviceAt(port: number, fields: Partial<ServiceResult> = {}): ServiceResult {
  return {
    host: '127.0.0.1',
    hostname: null,
    port,
    protocol: 'TCP',
    state: 'open',
    service: null,
    product: null,
    version: null,
    banner: null,
    tls: null,
    http: null,
    attributes: {},
    ...fields,
  };
}

/** An HTTP service as discovery records it. */
export function httpServiceAt(port: number, fields: Partial<ServiceResult> = {}): ServiceResult {
  return serviceAt(port, {
    service: 'http',
    http: { url: `http://127.0.0.1:${port}/`, status: 200, title: null, server: null, redirects: [], headers: {} },
    ...fields,
  });
}
