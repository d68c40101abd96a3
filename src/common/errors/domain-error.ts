/** What went wrong with one field of a request, named for the caller to fix it. */
export interface FieldError {
  field: string;
  reason: string;
}

/**
 * The one way domain code reports an expected failure: a stable code the HTTP layer maps to a
 * status (AppExceptionFilter), a message safe to show, and optional field errors. Domain code
 * never throws HTTP exceptions.
 */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  readonly fieldErrors: FieldError[] | undefined;

  constructor(message: string, fieldErrors?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    this.fieldErrors = fieldErrors;
  }
}

/** Every code a domain error may carry; the filter maps each to exactly one HTTP status. */
export type DomainErrorCode =
  | 'INVALID_INPUT'
  | 'TENANT_NOT_FOUND'
  | 'WA_NUMBER_TAKEN'
  | 'CHANNEL_TAKEN'
  | 'UNKNOWN_PACKAGE'
  | 'PAYMENT_REF_CONFLICT'
  | 'INBOUND_MESSAGE_NOT_FOUND'
  | 'STORAGE_UNAVAILABLE';

/** Input that breaks the rules of the edge (a DTO, a query string): 400 with each field's reason. */
export class InvalidInputError extends DomainError {
  readonly code = 'INVALID_INPUT';
}
