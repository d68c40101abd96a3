export { LlmGatewayClient } from './llm-gateway.client';
export { LlmModule, createLlmGateway } from './llm.module';
export { LlmError, LlmChainFailedError, KIND_POLICY, type LlmErrorKind } from './llm-error';
export {
  resolveModelChain,
  allowedModels,
  allowedSelection,
  fallbackLevelForModel,
  profileChain,
  defaultChain,
  isLlmProfileName,
  LLM_PROFILE_NAMES,
  type LlmProfileName,
  type ModelSelection,
  type ModelChainConfig,
} from './model-chain';
export { gatewayOptionsFromConfig } from './gateway-options';
export { callLogFields, callLogLevel } from './call-log';
export type * from './llm.types';
