import type { AppInstance } from '../../../platform/http/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';

export async function catalogueAdminPages(_app: AppInstance, _opts: { service: CatalogueService }) {}
