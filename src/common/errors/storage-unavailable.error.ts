import { DomainError } from './domain-error';

/** The database could not take the write: the caller should retry later (503). */
export class StorageUnavailableError extends DomainError {
  readonly code = 'STORAGE_UNAVAILABLE';
}
