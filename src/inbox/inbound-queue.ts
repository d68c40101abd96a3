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

/** Retries with exponential backoff; failed jobs are kept so they can be inspected and replayed. */
export const INBOUND_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
} as const;
