import { Injectable } from '@nestjs/common';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { PackagesService } from '../../billing/packages/packages.service';
import {
  directAnswer,
  type AnswerContext,
  type PreparedAnswer,
  type Question,
} from '../answer.types';
import {
  balanceText,
  PACKAGE_ROW_PREFIX,
  packagesList,
  purchaseRequestedText,
  UNKNOWN_PACKAGE_TEXT,
} from '../replies/billing-replies';
import {
  DAILY_CLOSE_OFF,
  DAILY_CLOSE_OWNER_ONLY,
  dailyCloseOnText,
  greeting,
  HELP,
  ACKNOWLEDGED,
  UNSUPPORTED_MESSAGE,
  VOICE_NOT_SUPPORTED,
} from '../replies/spanish-replies';
import { OWNER_ONLY_READ } from '../replies/write-replies';
import { changeRequestKind, isAcknowledgement } from '../short-messages';
import { normalizeText } from '../../intents';
import { TenantSettingsService } from '../../tenants/settings/tenant-settings.service';
import { dailyCloseCommand } from '../daily-close-command';
import { WriteAnswersService } from './write-answers.service';

const TOP_UP_WORDS = /\b(recarg|paquete|comprar|compra|plan)/;
const THANKS = /gracia|grasia|thank/;

/**
 * Answers that need no LLM and cost no tokens: by message type (a tapped package or write
 * button, a message without words, "deshacer") and by intent (greetings, help, balance and
 * packages, owner-only refusals); change requests go to WriteAnswersService.
 */
@Injectable()
export class DirectAnswersService {
  constructor(
    private readonly ledger: TokenLedgerService,
    private readonly packages: PackagesService,
    private readonly writes: WriteAnswersService,
    private readonly settings: TenantSettingsService,
  ) {}

  /** By what kind of message it is; null for a text to classify. */
  async forMessageType(ctx: AnswerContext): Promise<PreparedAnswer | null> {
    const { message, sender } = ctx;
    const choice = interactiveId(message.payload);
    // A tap on a write's buttons or list ("Sí", "No", a product, "Deshacer").
    const tapped = choice ? await this.writes.forChoice(ctx, choice) : null;
    if (tapped) return tapped;
    if (choice?.startsWith(PACKAGE_ROW_PREFIX) && sender.user.role !== 'owner') {
      return directAnswer(OWNER_ONLY_READ, 'saldo');
    }
    if (choice?.startsWith(PACKAGE_ROW_PREFIX)) {
      const pkg = await this.packages.requestPurchase({
        tenantId: ctx.tenant.id,
        packageCode: choice.slice(PACKAGE_ROW_PREFIX.length),
        waId: sender.user.waId,
        inboundWamid: message.wamid,
      });
      return directAnswer(pkg ? purchaseRequestedText(pkg) : UNKNOWN_PACKAGE_TEXT, 'saldo');
    }
    // A voice note arrives here with its transcript as text, or without one if it had none.
    if ((message.type === 'audio' || message.type === 'voice') && !message.text?.trim())
      return directAnswer(VOICE_NOT_SUPPORTED);
    if (!message.text?.trim()) return directAnswer(UNSUPPORTED_MESSAGE);
    // "deshacer" before any classification: it must never cost a token.
    const normalized = normalizeText(message.text);
    if (this.writes.isUndo(normalized)) return this.writes.undoFor(ctx);
    // "cierre diario" / "quitar cierre diario": a switch, never a question for the LLM.
    const close = dailyCloseCommand(normalized);
    if (close) return this.dailyClose(ctx, close);
    return null;
  }

  private async dailyClose(
    ctx: AnswerContext,
    command: NonNullable<ReturnType<typeof dailyCloseCommand>>,
  ): Promise<PreparedAnswer> {
    if (ctx.sender.user.role !== 'owner') return directAnswer(DAILY_CLOSE_OWNER_ONLY);
    if (command.kind === 'off') {
      await this.settings.update(ctx.tenant.id, { dailyCloseEnabled: false });
      return directAnswer(DAILY_CLOSE_OFF);
    }
    const updated = await this.settings.update(ctx.tenant.id, {
      dailyCloseEnabled: true,
      ...(command.time ? { dailyCloseTime: command.time } : {}),
    });
    return directAnswer(dailyCloseOnText(updated.dailyCloseTime));
  }

  /**
   * By what the owner said: "sí" / "no" to a write waiting in the chat, a thank-you or an
   * acknowledgement, a request to change data (a write to confirm), what only the owner may
   * see, then by intent; null for the reads the LLM answers.
   */
  async forIntent(q: Question): Promise<PreparedAnswer | null> {
    const intent = q.classified.intent;
    const thanks = THANKS.test(q.normalized);
    const { yesNo } = q.classified.entities;
    if (yesNo) {
      const decided = await this.writes.forYesNo(q.ctx, yesNo);
      if (decided) return { ...decided, intent };
    }
    if (isAcknowledgement(q.classified, q.text)) {
      return directAnswer(thanks ? greeting(null, true) : ACKNOWLEDGED, intent);
    }
    const change = changeRequestKind(q.classified);
    if (change) return this.writes.forChangeRequest(q, change);
    if ((intent === 'ganancias' || intent === 'saldo') && q.ctx.sender.user.role !== 'owner') {
      return directAnswer(OWNER_ONLY_READ, intent);
    }
    switch (intent) {
      case 'saludo':
        return directAnswer(greeting(q.ctx.message.contactName, thanks), intent);
      case 'ayuda':
        return directAnswer(HELP, intent);
      case 'saldo':
        return TOP_UP_WORDS.test(q.normalized)
          ? directAnswer(packagesList(await this.packages.listPackages()), intent)
          : directAnswer(
              balanceText((await this.ledger.getBalance(q.ctx.tenant.id)).available),
              intent,
            );
      default:
        return null;
    }
  }
}

function interactiveId(payload: Record<string, unknown>): string | null {
  const interactive = payload.interactive as
    { button_reply?: { id?: string }; list_reply?: { id?: string } } | undefined;
  return interactive?.list_reply?.id ?? interactive?.button_reply?.id ?? null;
}
