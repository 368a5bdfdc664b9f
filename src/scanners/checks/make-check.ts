// A positive check result for one service, filled from the catalogue.
import { cleanField } from '../escape.ts';
import type { ServiceResult } from '../scanner.ts';
import { CHECK_RULES, type CheckId } from './catalog.ts';
import type { Check } from './check.ts';

export function makeCheck(id: CheckId, service: ServiceResult, evidence: string, url: string | null = null): Check {
  const rule = CHECK_RULES[id];
  return {
    id,
    title: rule.title,
    severity: rule.severity,
    type: rule.type,
    host: service.host,
    hostname: service.hostname,
    port: service.port,
    protocol: 'tcp',
    service: service.service,
    product: service.product,
    version: service.version,
    evidence: cleanField(evidence, 2048) ?? '',
    description: rule.description,
    remediation: rule.remediation,
    references: [...rule.references],
    url,
  };
}
