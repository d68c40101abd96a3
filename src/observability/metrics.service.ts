import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics, one registry per app instance (so tests that boot several apps in one
 * process do not collide). Every metric of the app is declared here, so names and labels
 * are in one place (the alert rules and dashboards refer to them).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly webhookRequests = new Counter({
    name: 'webhook_requests_total',
    help: 'WhatsApp webhook POSTs by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookSkipped = new Counter({
    name: 'webhook_skipped_items_total',
    help: 'Parts of webhook payloads that were ignored, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly inboundMessages = new Counter({
    name: 'inbound_messages_total',
    help: 'Inbound messages by what the inbox did with them',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly enqueueFailures = new Counter({
    name: 'inbound_enqueue_failures_total',
    help: 'Failed attempts to put stored messages on the queue (left for the relay)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly relayRequeued = new Counter({
    name: 'inbound_relay_requeued_total',
    help: 'Messages the relay found stuck in received and enqueued',
    registers: [this.registry],
  });

  readonly statusUpdates = new Counter({
    name: 'whatsapp_status_updates_total',
    help: 'Delivery receipts received, and whether they matched a message we sent',
    labelNames: ['status', 'matched'] as const,
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'inbound_jobs_total',
    help: 'Worker jobs by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'inbound_job_duration_seconds',
    help: 'Time to answer one inbound message',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  readonly outbound = new Counter({
    name: 'whatsapp_outbound_total',
    help: 'Graph API sends by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly billingShortfallTokens = new Counter({
    name: 'billing_shortfall_tokens_total',
    help: 'Tokens used beyond what the shop had left (written off as adjustments)',
    registers: [this.registry],
  });

  readonly tokensAbsorbed = new Counter({
    name: 'billing_absorbed_tokens_total',
    help: 'Tokens the provider counted for answers the shop did not pay (level 2 after the model was reached)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly intentLlm = new Counter({
    name: 'intent_llm_classifications_total',
    help: 'Messages the rules and the learned model were unsure about, by what the LLM step did',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly billingReservationsExpired = new Counter({
    name: 'billing_reservations_expired_total',
    help: 'Reservations released by the sweeper because their job never settled them',
    registers: [this.registry],
  });

  readonly responseCache = new Counter({
    name: 'llm_response_cache_total',
    help: 'Answers looked up in the response cache, by result (hit, miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly responseCacheTokensSaved = new Counter({
    name: 'llm_response_cache_tokens_saved_total',
    help: 'Tokens the cached answers cost when computed, not spent again on a hit',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
