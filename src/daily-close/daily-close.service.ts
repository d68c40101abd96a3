import { Inject, Injectable, Logger } from '@nestjs/common';
import { TokenLedgerService } from '../billing/ledger/token-ledger.service';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { InboundMessagesService } from '../inbox/services/inbound-messages.service';
import { StoreService } from '../store/services/store.service';
import { TenantsService } from '../tenants/services/tenants.service';
import { TenantSettingsService } from '../tenants/settings/tenant-settings.service';
import { normalizeWaId } from '../tenants/phone-number';
import type { Tenant, TenantUser, WhatsappChannel } from '../tenants/tenant.types';
import { GraphApiClient } from '../whatsapp/graph-api.client';
import { GraphApiError } from '../whatsapp/graph-api.errors';
import type { Recipient } from '../whatsapp/graph-api.types';
import {
  dailyCloseParameters,
  dailyCloseText,
  dayBounds,
  dueDay,
  type DailyCloseFigures,
} from './daily-close-text';
import { type DailyCloseKind, DailyClosesRepository } from './daily-closes.repository';

/** Meta's customer-service window: free-form messages only this long after the person wrote. */
export const CUSTOMER_WINDOW_MS = 24 * 3600_000;
const TOP_PRODUCTS = 3;

export type DailyCloseOutcome =
  | { kind: 'sent'; as: DailyCloseKind; wamid: string }
  | { kind: 'skipped'; reason: 'disabled' | 'inactive' | 'no_owner' | 'no_channel' | 'taken' };

/**
 * The daily close ("cierre del día"): the day's sales, tickets, profit, best sellers, what to
 * reorder and the tokens left, in a fixed Spanish text filled with the store's and the
 * ledger's numbers (no LLM, no tokens), sent to the shop's owner once per shop-local day.
 * Inside Meta's 24-hour window it is a plain text; outside it (or when Meta answers 131047)
 * it is the approved template DAILY_CLOSE_TEMPLATE_NAME with the same figures as parameters.
 */
@Injectable()
export class DailyCloseService {
  private readonly log = new Logger(DailyCloseService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: TenantSettingsService,
    private readonly tenants: TenantsService,
    private readonly store: StoreService,
    private readonly ledger: TokenLedgerService,
    private readonly inbound: InboundMessagesService,
    private readonly graph: GraphApiClient,
    private readonly closes: DailyClosesRepository,
  ) {}

  /** Shops whose close time has passed today (their local today) and that have no row for it yet. */
  async dueShops(now: Date): Promise<{ tenantId: string; day: string }[]> {
    const shops = await this.settings.dailyCloseShops();
    const due = shops.flatMap((s) => {
      const day = dueDay(now.getTime(), s.timezone, s.time);
      return day ? [{ tenantId: s.tenantId, day }] : [];
    });
    const done = await this.closes.existing(due);
    return due.filter((d) => !done.has(`${d.tenantId}/${d.day}`));
  }

  /** The figures of one shop-local day, from the store and the ledger. */
  async figures(tenant: Tenant, day: string): Promise<DailyCloseFigures> {
    const { from, to } = dayBounds(day, tenant.timezone);
    const [sales, profit, top, low, balance] = await Promise.all([
      this.store.salesSummary(tenant.id, from, to),
      this.store.profit(tenant.id, from, to),
      this.store.topProducts(tenant.id, from, to, TOP_PRODUCTS, 'units'),
      this.store.lowStock(tenant.id),
      this.ledger.getBalance(tenant.id),
    ]);
    return {
      day,
      salesCents: sales.totalCents,
      tickets: sales.tickets,
      profitCents: profit.profitCents,
      top: top.map((p) => ({ name: p.name, quantity: p.quantity })),
      reorder: low.map((p) => ({ name: p.name, stock: p.stock })),
      tokensLeft: balance.available,
    };
  }

  /**
   * Sends one shop's close for one day, at most once: the daily_closes row is claimed first,
   * so a second worker (or a retried job after a send) finds it taken. A failed send is
   * recorded and thrown, for the job to retry.
   */
  async sendFor(tenantId: string, day: string, now = new Date()): Promise<DailyCloseOutcome> {
    const settings = await this.settings.get(tenantId);
    if (!settings.dailyCloseEnabled) return { kind: 'skipped', reason: 'disabled' };
    const { tenant, users, channels } = await this.tenants.getDetails(tenantId);
    if (tenant.status !== 'active') return { kind: 'skipped', reason: 'inactive' };
    const owner = users.find((u) => u.role === 'owner');
    if (!owner) return { kind: 'skipped', reason: 'no_owner' };
    const channel = channels[0];
    if (!channel) return { kind: 'skipped', reason: 'no_channel' };

    const figures = await this.figures(tenant, day);
    const text = dailyCloseText(figures);
    const { to, lastWrote } = await this.recipient(owner, channels, now);
    const claimed = await this.closes.claim({
      tenantId,
      day,
      toWaId: to.waId ?? to.userId ?? owner.waId,
      body: text,
    });
    if (!claimed) return { kind: 'skipped', reason: 'taken' };

    const insideWindow =
      lastWrote !== null && now.getTime() - lastWrote.getTime() < CUSTOMER_WINDOW_MS;
    try {
      const sent = insideWindow
        ? await this.sendText(channel, to, text, figures)
        : await this.sendTemplate(channel, to, figures);
      await this.closes.markSent(tenantId, day, sent.as, sent.wamid);
      this.log.log(`Daily close ${tenantId} ${day} sent as ${sent.as}`);
      return { kind: 'sent', ...sent };
    } catch (err) {
      const code = err instanceof GraphApiError ? err.code : null;
      await this.closes.markFailed(tenantId, day, code, (err as Error).message);
      throw err;
    }
  }

  /**
   * A free-form text; Meta's 131047 ("Re-engagement message": the window closed after all)
   * is answered with the template instead of failing the close.
   */
  private async sendText(
    channel: WhatsappChannel,
    to: Recipient,
    text: string,
    figures: DailyCloseFigures,
  ): Promise<{ as: DailyCloseKind; wamid: string }> {
    try {
      const { wamid } = await this.graph.send(channel.phoneNumberId, to, {
        type: 'text',
        body: text,
      });
      return { as: 'text', wamid };
    } catch (err) {
      if (err instanceof GraphApiError && err.kind === 'outside_window') {
        return this.sendTemplate(channel, to, figures);
      }
      throw err;
    }
  }

  private async sendTemplate(
    channel: WhatsappChannel,
    to: Recipient,
    figures: DailyCloseFigures,
  ): Promise<{ as: DailyCloseKind; wamid: string }> {
    const { wamid } = await this.graph.sendTemplate(channel.phoneNumberId, to, {
      name: this.config.DAILY_CLOSE_TEMPLATE_NAME,
      language: this.config.DAILY_CLOSE_TEMPLATE_LANGUAGE,
      bodyParameters: dailyCloseParameters(figures),
    });
    return { as: 'template', wamid };
  }

  /**
   * The owner as Meta last identified them on the shop's numbers (their wa_id as Meta sends
   * it, or their BSUID), and when they last wrote; their registered phone when they have not
   * written in the last day.
   */
  private async recipient(
    owner: TenantUser,
    channels: WhatsappChannel[],
    now: Date,
  ): Promise<{ to: Recipient; lastWrote: Date | null }> {
    const written = await this.inbound.lastWrittenBy(
      channels.map((c) => c.phoneNumberId),
      new Date(now.getTime() - CUSTOMER_WINDOW_MS),
    );
    const mine = written
      .filter(
        (w) =>
          (w.fromWaId !== null && normalizeWaId(w.fromWaId) === owner.waId) ||
          (owner.userId !== null && w.fromUserId === owner.userId),
      )
      .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime())[0];
    if (mine) {
      return {
        to: { waId: mine.fromWaId, userId: mine.fromWaId ? null : mine.fromUserId },
        lastWrote: mine.sentAt,
      };
    }
    return { to: { waId: owner.waId.replace(/^\+/, ''), userId: null }, lastWrote: null };
  }
}
