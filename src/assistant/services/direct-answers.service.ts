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
  greeting,
  HELP,
  ACKNOWLEDGED,
  NOTHING_CHANGED,
  UNSUPPORTED_MESSAGE,
  VOICE_NOT_SUPPORTED,
} from '../replies/spanish-replies';
import { changeRequestKind, isAcknowledgement } from '../short-messages';

const TOP_UP_WORDS = /\b(recarg|paquete|comprar|compra|plan)/;
const THANKS = /gracia|grasia|thank/;

/**
 * Answers that need no LLM and cost no tokens: by message type (a tapped package, a voice
 * note, a message without words) and by intent (greetings, help, balance and packages, and
 * the writes that are not built yet).
 */
@Injectable()
export class DirectAnswersService {
  constructor(
    private readonly ledger: TokenLedgerService,
    private readonly packages: PackagesService,
  ) {}

  /** By what kind of message it is; null for a text to classify. */
  async forMessageType(ctx: AnswerContext): Promise<PreparedAnswer | null> {
    const { message, sender } = ctx;
    const choice = interactiveId(message.payload);
    if (choice?.startsWith(PACKAGE_ROW_PREFIX)) {
      const pkg = await this.packages.requestPurchase({
        tenantId: ctx.tenant.id,
        packageCode: choice.slice(PACKAGE_ROW_PREFIX.length),
        waId: sender.user.waId,
        inboundWamid: message.wamid,
      });
      return directAnswer(pkg ? purchaseRequestedText(pkg) : UNKNOWN_PACKAGE_TEXT, 'saldo');
    }
    if (message.type === 'audio' || message.type === 'voice')
      return directAnswer(VOICE_NOT_SUPPORTED);
    if (!message.text?.trim()) return directAnswer(UNSUPPORTED_MESSAGE);
    return null;
  }

  /**
   * By what the owner said: a thank-you or an acknowledgement, a request to change data (not
   * possible yet: say nothing changed), then by intent; null for the reads the LLM answers.
   */
  async forIntent(q: Question): Promise<PreparedAnswer | null> {
    const intent = q.classified.intent;
    const thanks = THANKS.test(q.normalized);
    if (isAcknowledgement(q.classified, q.text)) {
      return directAnswer(thanks ? greeting(null, true) : ACKNOWLEDGED, intent);
    }
    const change = changeRequestKind(q.classified);
    if (change) return directAnswer(NOTHING_CHANGED[change], intent);
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
