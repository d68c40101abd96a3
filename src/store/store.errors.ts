import { DomainError } from '../common/errors/domain-error';

/** The tenant id names no shop (or is not even a uuid): the store has nothing to write to. */
export class UnknownShopError extends DomainError {
  readonly code = 'TENANT_NOT_FOUND';
  constructor(readonly tenantId: string) {
    super(`No tenant ${tenantId}`);
  }
}
