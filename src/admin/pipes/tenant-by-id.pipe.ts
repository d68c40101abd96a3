import { Injectable, type PipeTransform } from '@nestjs/common';
import { TenantsService } from '../../tenants/services/tenants.service';
import type { Tenant } from '../../tenants/tenant.types';

/** `@Param('id', TenantByIdPipe) tenant`: the shop, or 404 (also for an id that is not a uuid). */
@Injectable()
export class TenantByIdPipe implements PipeTransform<string, Promise<Tenant>> {
  constructor(private readonly tenants: TenantsService) {}

  transform(id: string): Promise<Tenant> {
    return this.tenants.require(id);
  }
}
