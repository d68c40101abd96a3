export { ActionsModule } from './actions.module';
export {
  ActionsService,
  type CancelOutcome,
  type ChooseOutcome,
  type ConfirmOutcome,
  type ProposeOutcome,
  type UndoOutcome,
} from './services/actions.service';
export * from './actions.types';
