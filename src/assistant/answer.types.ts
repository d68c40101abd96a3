import type { InboundMessage } from '../inbox/inbound-message.entity';
import type { OutboundMessage } from '../inbox/outbound-message.entity';
import type { ResolvedSender } from '../tenants/tenants.service';

/** Everything the worker knows about the message it is answering. */
export interface AnswerContext {
  message: InboundMessage;
  sender: ResolvedSender;
}

/**
 * Produces the reply for one inbound message (and any notice that goes with it) and stores
 * them prepared, not yet sent; the worker delivers them in order.
 */
export interface Answerer {
  answer(ctx: AnswerContext): Promise<OutboundMessage[]>;
}
