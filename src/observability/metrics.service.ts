import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

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
    help: 'Inbound messages by WhatsApp type (known types, else "other") and what the inbox did with them',
    labelNames: ['type', 'outcome'] as const,
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
    help: 'Graph API sends by outcome and Meta error code (known codes, else "other"; "none" when sent)',
    labelNames: ['outcome', 'error_code'] as const,
    registers: [this.registry],
  });

  readonly webhookIngestDuration = new Histogram({
    name: 'webhook_ingest_duration_seconds',
    help: 'Time to parse, store and enqueue one verified webhook POST',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route template (never the raw URL), method and status class',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly queueJobs = new Gauge({
    name: 'queue_jobs',
    help: 'Jobs in the inbound queue by state, sampled every QUEUE_METRICS_INTERVAL_MS (not per scrape)',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly queueSampleAge = new Gauge({
    name: 'queue_metrics_last_sample_timestamp_seconds',
    help: 'When queue_jobs was last sampled successfully (Unix time); stale means Redis is unreachable',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly answers = new Counter({
    name: 'assistant_answers_total',
    help: 'Answers committed, by fallback level (direct, 1, 1b, 2, 3)',
    labelNames: ['level'] as const,
    registers: [this.registry],
  });

  readonly answerTokens = new Histogram({
    name: 'assistant_answer_tokens',
    help: 'Tokens one answered message cost in all (classification and every round, charged or absorbed)',
    labelNames: ['level'] as const,
    buckets: [0, 50, 100, 250, 500, 1000, 2000, 4000, 8000],
    registers: [this.registry],
  });

  readonly answerLatency = new Histogram({
    name: 'assistant_answer_latency_seconds',
    help: 'From the webhook receiving a message to its reply accepted by the Graph API',
    labelNames: ['level'] as const,
    buckets: [0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60],
    registers: [this.registry],
  });

  readonly rateLimitedMessages = new Counter({
    name: 'chat_rate_limited_messages_total',
    help: 'Inbound messages over their chat rate limit (stored, not answered)',
    registers: [this.registry],
  });

  readonly rateLimitedChats = new Counter({
    name: 'chat_rate_limited_chats_total',
    help: 'Chat windows that went over the rate limit (one "espera" reply each)',
    registers: [this.registry],
  });

  readonly dailyCapRefusals = new Counter({
    name: 'billing_daily_token_cap_refusals_total',
    help: 'Messages refused because the shop spent its daily token cap',
    registers: [this.registry],
  });

  readonly pendingActions = new Counter({
    name: 'pending_actions_total',
    help: 'Write actions by outcome (proposed, confirmed, cancelled, expired, refused, undone)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly unknownReplies = new Counter({
    name: 'whatsapp_unknown_replies_total',
    help: "Replies left 'unknown' by a crash mid-send: resent once, resend_failed, gave_up",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly refundedTokens = new Counter({
    name: 'billing_refunded_tokens_total',
    help: 'Tokens given back to shops for replies Meta never received',
    registers: [this.registry],
  });

  readonly lowBalanceNotices = new Counter({
    name: 'billing_low_balance_notices_total',
    help: 'Low-balance notices prepared for shop owners',
    registers: [this.registry],
  });

  readonly llmRequests = new Counter({
    name: 'llm_requests_total',
    help: 'LLM attempts (one per HTTP call) by model, operation, outcome (ok or error kind) and fallback level',
    labelNames: ['model', 'operation', 'outcome', 'fallback_level'] as const,
    registers: [this.registry],
  });

  readonly llmDuration = new Histogram({
    name: 'llm_request_duration_seconds',
    help: 'Duration of one LLM attempt',
    labelNames: ['model', 'operation', 'outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30],
    registers: [this.registry],
  });

  readonly llmTokens = new Counter({
    name: 'llm_tokens_total',
    help: 'Tokens the provider counted, by model, operation and type (prompt or completion)',
    labelNames: ['model', 'operation', 'type'] as const,
    registers: [this.registry],
  });

  readonly llmCost = new Counter({
    name: 'llm_cost_usd_total',
    help: 'Cost in USD the provider reported, by model and operation',
    labelNames: ['model', 'operation'] as const,
    registers: [this.registry],
  });

  readonly llmAlerts = new Counter({
    name: 'llm_operator_alerts_total',
    help: 'LLM failures an operator must act on (no credits, key rejected), by outcome',
    labelNames: ['outcome', 'key_source'] as const,
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
