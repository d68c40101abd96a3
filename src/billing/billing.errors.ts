import { DomainError } from '../common/errors/domain-error';

export class UnknownPackageError extends DomainError {
  readonly code = 'UNKNOWN_PACKAGE';
  constructor(readonly packageCode: string) {
    super(`No active package "${packageCode}"`, [
      { field: 'packageCode', reason: 'no active package with that code' },
    ]);
  }
}

/** The payment reference already credited another shop or another package. */
export class PaymentRefConflictError extends DomainError {
  readonly code = 'PAYMENT_REF_CONFLICT';
}
