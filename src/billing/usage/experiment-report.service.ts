import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import type { Experiment } from '../../config/env.schema';
import { ConversationsService } from '../../conversations/services/conversations.service';
import { OutboxService } from '../../inbox/services/outbox.service';
import { type ArmReport, armReports, QUALITY_WINDOW_SECONDS } from './experiment-arms';
import { UsageReportRepository } from './usage-report.repository';

export interface ExperimentReport {
  name: string;
  /** The experiment as configured now; null when it was removed from LLM_EXPERIMENTS. */
  config: Experiment | null;
  from: Date;
  to: Date;
  arms: (ArmReport & { profile: string | null })[];
}

/**
 * An A/B experiment's arms side by side, over [from, to): the answers it routed (their reply
 * rows carry the arm), what their model rounds used (token_usage), and whether the chat asked
 * the same thing again soon after (conversation_turns), each read through its owner.
 */
@Injectable()
export class ExperimentReportService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly usage: UsageReportRepository,
    private readonly conversations: ConversationsService,
  ) {}

  configured(): Experiment[] {
    return this.config.LLM_EXPERIMENTS;
  }

  /**
   * The report over a period as an admin asks for it: YYYY-MM-DD days (UTC, `to` inclusive)
   * or ISO instants (`to` exclusive); default the last 30 days.
   */
  reportForPeriod(name: string, q: { from?: string; to?: string }): Promise<ExperimentReport> {
    const to = q.to ? instant(q.to, true) : new Date();
    const from = q.from ? instant(q.from, false) : new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) {
      throw new InvalidInputError('Invalid query', [
        { field: 'from', reason: 'must be before to' },
      ]);
    }
    return this.report(name, from, to);
  }

  async report(name: string, from: Date, to: Date): Promise<ExperimentReport> {
    const answers = await this.outbox.experimentAnswers(name, from, to);
    const wamids = answers.map((a) => a.inboundWamid);
    const [usage, followed] = await Promise.all([
      this.usage.chatUsageOfMessages(wamids),
      this.conversations.followedBySameIntent(wamids, QUALITY_WINDOW_SECONDS),
    ]);
    const config = this.config.LLM_EXPERIMENTS.find((e) => e.name === name) ?? null;
    const arms = armReports(
      answers.map((a) => {
        const u = usage.get(a.inboundWamid);
        return {
          arm: a.arm,
          fallbackLevel: a.fallbackLevel,
          totalTokens: u?.totalTokens ?? 0,
          costUsd: u?.costUsd ?? 0,
          latencyMs: u?.latencyMs ?? 0,
          followedBySameIntent: followed.has(a.inboundWamid),
        };
      }),
    );
    return {
      name,
      config,
      from,
      to,
      arms: arms.map((arm) => ({ ...arm, profile: config ? config[arm.arm] : null })),
    };
  }
}

function instant(value: string, endOfDay: boolean): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const day = new Date(`${value}T00:00:00Z`);
  return endOfDay ? new Date(day.getTime() + 86_400_000) : day;
}
