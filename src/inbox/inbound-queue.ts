/** The BullMQ queue every stored inbound message goes through on its way to the worker. */
export const INBOUND_QUEUE = 'inbound';

export interface InboundJobData {
  wamid: string;
  /** Times the job was put back to wait for an earlier message of the same chat. */
  deferrals?: number;
}

/** BullMQ reserves ':' in ids; Meta's wamids are base64-ish, but stay safe. */
export function jobIdFor(wamid: string): string {
  return wamid.replace(/:/g, '_');
}

/**
 * Retries with exponential backoff; failed jobs are kept a bounded time (7 days, at most 5,000)
 * so they can be inspected and replayed in bull-board. A final failure is also recorded on the
 * message's row ('failed', /admin/inbox/failed), which outlives the job.
 */
export const FAILED_JOBS_KEPT = { age: 7 * 24 * 3600, count: 5_000 } as const;

export const INBOUND_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: FAILED_JOBS_KEPT,
} as const;
