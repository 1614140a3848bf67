/** Public API of the model store: catalogue, install/pull/import/verify, and the CLI progress bar. */
export {
  CATALOGUE_FAMILIES,
  defaultCataloguePath,
  findCatalogueEntry,
  loadCatalogue,
  parseCatalogue,
  type Catalogue,
  type CatalogueEntry,
  type CatalogueFamily,
  type CatalogueFile,
  type CatalogueStatus,
} from './catalogue.ts';
export {
  INSTALL_RECORD_FILE,
  ModelStore,
  defaultModelsDir,
  readInstallRecord,
  resolveDataDir,
  type ImportOptions,
  type InstallRecord,
  type InstallResult,
  type ModelListing,
  type ModelStoreOptions,
  type PullOptions,
  type PullProgress,
  type VerifyReport,
} from './store.ts';
export { createPullProgressRenderer, formatBytes, type PullProgressRenderer } from './progress.ts';
