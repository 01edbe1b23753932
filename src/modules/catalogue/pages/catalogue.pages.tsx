import type { AppInstance } from '../../../platform/http/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';

export async function cataloguePages(_app: AppInstance, _opts: { service: CatalogueService }) {}
