import { DomainError } from '../common/errors/domain-error';

export class TenantNotFoundError extends DomainError {
  readonly code = 'TENANT_NOT_FOUND';
  constructor(readonly tenantId: string) {
    super(`No tenant ${tenantId}`);
  }
}

/** A WhatsApp number talks for one shop only. */
export class WaNumberTakenError extends DomainError {
  readonly code = 'WA_NUMBER_TAKEN';
}

/** A business number (phone_number_id) answers for one shop only. */
export class ChannelTakenError extends DomainError {
  readonly code = 'CHANNEL_TAKEN';
}
