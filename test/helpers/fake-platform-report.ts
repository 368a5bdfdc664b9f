// The report the fake platform hands back for a completed scan: an asmvs-checks/1 document with one check.
export const PLATFORM_REPORT = JSON.stringify({
  schema: 'asmvs-checks/1',
  scanner: { name: 'platform-checks', version: '1' },
  target: '127.0.0.1',
  complete: true,
  truncated: false,
  hosts: [],
  services: [],
  checks: [
    {
      id: 'redis-unauthenticated',
      title: 'Redis accepts commands without authentication',
      severity: 'high',
      type: 'EXPOSURE',
      host: '127.0.0.1',
      port: 6379,
      protocol: 'tcp',
      service: 'redis',
    },
  ],
});
