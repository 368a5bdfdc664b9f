// The platform API's bodies as asmvs reads them: each response is validated before use, so a malformed answer
// is a typed API_BAD_RESPONSE, never an undefined deep inside a stage.
import { z } from 'zod';

export const platformScan = z.object({
  id: z.string().min(1),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
  scanner: z.object({ name: z.string(), version: z.string().nullish() }).nullish(),
  format: z.string().nullish(),
  /** The scanner's report, verbatim, base64-encoded, when status is completed. */
  report: z.string().nullish(),
  error: z.string().nullish(),
});
export type PlatformScan = z.infer<typeof platformScan>;

export const platformAsset = z.object({
  id: z.string().min(1),
  kind: z.string().nullish(),
  value: z.string().min(1),
  organizationId: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
});
export type PlatformAsset = z.infer<typeof platformAsset>;

export const assetPage = z.object({
  items: z.array(platformAsset),
  nextCursor: z.string().nullish(),
});

export const discoveryAccepted = z.object({
  id: z.string().min(1),
  assets: z.array(z.object({ kind: z.string(), value: z.string().min(1) })).default([]),
});
export type DiscoveryAccepted = z.infer<typeof discoveryAccepted>;

export const accepted = z.object({ id: z.string().nullish() }).passthrough();
