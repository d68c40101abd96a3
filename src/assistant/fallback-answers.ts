import { Injectable } from '@nestjs/common';
import { BillingService } from '../billing/billing.service';
import { formatMoney } from '../common/money';
import { type Intent, resolvePeriod } from '../intents';
import { StoreService } from '../store/store.service';
import { FALLBACK_LEAD, GENERIC_FALLBACK } from './spanish-replies';

const LOW_STOCK_SHOWN = 5;

/**
 * Level 2 of the fallback: a predefined answer per intent, filled with the shop's real
 * numbers where the intent allows. Costs no tokens. Throws if the data cannot be read,
 * so the caller drops to level 3.
 */
@Injectable()
export class FallbackAnswers {
  constructor(
    private readonly store: StoreService,
    private readonly billing: BillingService,
  ) {}

  async forIntent(intent: Intent, tenantId: string, timeZone: string, now: Date): Promise<string> {
    switch (intent) {
      case 'ventas': {
        const today = resolvePeriod('today', now, timeZone);
        const s = await this.store.salesSummary(tenantId, today.from, today.to);
        const tickets = s.tickets === 1 ? '1 venta' : `${s.tickets} ventas`;
        return `${FALLBACK_LEAD}\nHoy llevas ${formatMoney(s.totalCents)} en ${tickets}.`;
      }
      case 'ganancias': {
        const today = resolvePeriod('today', now, timeZone);
        const p = await this.store.profit(tenantId, today.from, today.to);
        return `${FALLBACK_LEAD}\nHoy llevas ${formatMoney(p.profitCents)} de ganancia sobre ${formatMoney(p.revenueCents)} vendidos.`;
      }
      case 'inventario': {
        const low = await this.store.lowStock(tenantId);
        if (low.length === 0) {
          return `${FALLBACK_LEAD}\nNingún producto está en su mínimo de inventario. 👍`;
        }
        const lines = low
          .slice(0, LOW_STOCK_SHOWN)
          .map((p) => `• ${p.name}: quedan ${p.stock} (mínimo ${p.minStock})`);
        const more =
          low.length > LOW_STOCK_SHOWN ? `\n…y ${low.length - LOW_STOCK_SHOWN} más.` : '';
        return `${FALLBACK_LEAD}\nPor surtir:\n${lines.join('\n')}${more}`;
      }
      case 'saldo':
        return this.billing.balanceMessage(tenantId);
      default:
        return GENERIC_FALLBACK;
    }
  }
}
