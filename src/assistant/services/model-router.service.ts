import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import type { Intent } from '../../intents';
import { TenantLlmConfigService } from '../../tenants/services/tenant-llm-config.service';
import { TenantSettingsService } from '../../tenants/settings/tenant-settings.service';
import type { AnswerContext } from '../answer.types';
import { modelRoute, type ModelRoute } from '../model-route';
import { chooseProfile, type ProfileChoice } from '../profile-routing';

export interface RoutedModels extends ModelRoute {
  choice: ProfileChoice;
}

/**
 * The models one answer goes to: the profile routing chose for its intent (the shop's map,
 * its profile, an experiment's arm, the platform map), resolved to a chain with the shop's
 * own models and key. Config only: nothing here is cached across answers, so a changed map
 * or experiment applies from the next message.
 */
@Injectable()
export class ModelRouterService {
  private readonly log = new Logger(ModelRouterService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly llmConfig: TenantLlmConfigService,
    private readonly settings: TenantSettingsService,
  ) {}

  async routeFor(ctx: AnswerContext, intent: Intent): Promise<RoutedModels> {
    const [stored, settings] = await Promise.all([
      this.llmConfig.getLlmConfig(ctx.tenant.id),
      this.settings.getRecent(ctx.tenant.id),
    ]);
    const choice = chooseProfile(
      {
        intent,
        tenantId: ctx.tenant.id,
        chatId: ctx.sender.user.waId,
        shopIntentProfiles: settings.intentProfiles,
        shopProfile: stored.isActive ? stored.profile : undefined,
      },
      this.config,
    );
    this.log.debug(
      `${ctx.message.wamid}: ${intent} → ${choice.profile} (${choice.source}${
        choice.experiment ? ` ${choice.experiment.name}/${choice.experiment.arm}` : ''
      })`,
    );
    return { ...modelRoute(stored, this.config, choice.profile), choice };
  }
}
