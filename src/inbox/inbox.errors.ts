import { DomainError } from '../common/errors/domain-error';

export class InboundMessageNotFoundError extends DomainError {
  readonly code = 'INBOUND_MESSAGE_NOT_FOUND';
  constructor(readonly wamid: string) {
    super(`No inbound message ${wamid}`);
  }
}
