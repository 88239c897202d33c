// Every data-testid of the SPA. The Playwright suite (e2e/) imports this file,
// so a renamed id breaks the build of both sides instead of a test at run time.
// Prefer role/label selectors; these exist where there is no accessible name.

export const TID = {
  // Shell
  appHeader: 'app-header',
  productName: 'product-name',
  languageSwitch: 'language-switch',
  userMenu: 'user-menu',
  userMenuSignOut: 'user-menu-sign-out',
  userMenuSignOutEverywhere: 'user-menu-sign-out-everywhere',
  userMenuChangePassword: 'user-menu-change-password',
  signOutEverywhereConfirm: 'sign-out-everywhere-confirm',
  changePasswordDialog: 'change-password-dialog',
  sideNav: 'side-nav',
  pageTitle: 'page-title',

  // Login
  loginForm: 'login-form',
  loginInput: 'login-input',
  loginPassword: 'login-password',
  loginSubmit: 'login-submit',
  loginError: 'login-error',
  loginRememberMe: 'login-remember-me',
  /** The block of sign-in buttons of the active OpenID providers. */
  loginProviders: 'login-providers',

  // DataTable
  dataTable: 'data-table',
  tableAdd: 'table-add',
  tableSearch: 'table-search',
  tableClearFilters: 'table-clear-filters',
  bulkBar: 'bulk-bar',
  bulkSelectedCount: 'bulk-selected-count',
  bulkEdit: 'bulk-edit',
  bulkDelete: 'bulk-delete',
  bulkResetSelection: 'bulk-reset-selection',
  tableShownRange: 'table-shown-range',
  tablePageSize: 'table-page-size',
  tablePagination: 'table-pagination',
  /** On the action menu button of every row: scope it with the row, e.g. getByRole('row', { name }). */
  rowActions: 'row-actions',
  rowActionEdit: 'row-action-edit',
  rowActionDelete: 'row-action-delete',
  deleteConfirm: 'delete-confirm',
  bulkDeleteReport: 'bulk-delete-report',

  // Forms (shared)
  formSave: 'form-save',
  formCancel: 'form-cancel',
  formDelete: 'form-delete',
  versionConflict: 'version-conflict',
  versionConflictReload: 'version-conflict-reload',
  historyTable: 'history-table',
  auditDiff: 'audit-diff',

  // Users
  userTabs: 'user-tabs',
  userSetPassword: 'user-set-password',
  userSetPasswordDialog: 'user-set-password-dialog',
  userSetPasswordRevokeTokens: 'user-set-password-revoke-tokens',
  userSessions: 'user-sessions',
  userSessionsEnd: 'user-sessions-end',
  userSessionsEndConfirm: 'user-sessions-end-confirm',
  userExtraAttributes: 'user-extra-attributes',
  userMappedAttributes: 'user-mapped-attributes',
  userGroupsSelect: 'user-groups-select',
  userTypeSelect: 'user-type-select',

  // Groups
  groupPermissions: 'group-permissions',
  groupSystemNotice: 'group-system-notice',

  // User types
  userTypeUsage: 'user-type-usage',

  // Licence
  licenceAccessType: 'licence-access-type',
  licenceReadOnly: 'licence-read-only',

  // Audit
  auditVerify: 'audit-verify',
  auditVerifyResult: 'audit-verify-result',

  // Providers
  providerTabs: 'provider-tabs',
  providerActive: 'provider-active',
  providerTypeSelect: 'provider-type-select',
  providerBaseGroups: 'provider-base-groups',
  providerAllowCreation: 'provider-allow-creation',
  providerCloudLock: 'provider-cloud-lock',
  providerUserType: 'provider-user-type',
  providerClientSecret: 'provider-client-secret',
  providerBindPassword: 'provider-bind-password',
  providerConnection: 'provider-connection',
  providerServerType: 'provider-server-type',
  providerKerberosNote: 'provider-kerberos-note',
  providerDeleteConfirm: 'provider-delete-confirm',
  providerExportOne: 'provider-export-one',
  providerExportAll: 'provider-export-all',
  providerImport: 'provider-import',
  providerImportDialog: 'provider-import-dialog',
  providerImportFile: 'provider-import-file',
  providerImportPreview: 'provider-import-preview',
  providerImportApply: 'provider-import-apply',
  providerBulkActivate: 'provider-bulk-activate',
  providerBulkDeactivate: 'provider-bulk-deactivate',
  providerBulkExport: 'provider-bulk-export',
  providerBulkReport: 'provider-bulk-report',
  providerTest: 'provider-test',
  providerTestDialog: 'provider-test-dialog',
  providerTestResult: 'provider-test-result',
  providerTestSteps: 'provider-test-steps',
  providerDryRun: 'provider-dry-run',
  providerDryRunDialog: 'provider-dry-run-dialog',
  providerDryRunSubmit: 'provider-dry-run-submit',
  providerDryRunResult: 'provider-dry-run-result',
  mappingTable: 'mapping-table',
  mappingWithoutSwitch: 'mapping-without-switch',
  mappingDot: 'mapping-dot',
  mappingDialog: 'mapping-dialog',
  mappingAddRule: 'mapping-add-rule',

  // Access tokens and personal access tokens
  userMenuPersonalTokens: 'user-menu-personal-tokens',
  tokenCreateDialog: 'token-create-dialog',
  tokenScopes: 'token-scopes',
  tokenExpiry: 'token-expiry',
  tokenRevealDialog: 'token-reveal-dialog',
  tokenRevealValue: 'token-reveal-value',
  tokenRevealCopy: 'token-reveal-copy',
  tokenRevoke: 'token-revoke',
  userTokens: 'user-tokens',
  tokenRevokeConfirm: 'token-revoke-confirm',
  tokenEditDialog: 'token-edit-dialog',
  tokenExpiringSoon: 'token-expiring-soon',

  // Integrated systems and their certificates
  systemTabs: 'system-tabs',
  systemEnabled: 'system-enabled',
  systemOwnerGroup: 'system-owner-group',
  systemServices: 'system-services',
  systemCertificates: 'system-certificates',
  // A system's request statistics and webhooks
  systemStats: 'system-stats',
  // The shared statistics view (system, token and cabinet pages); its root has the page's own id.
  statsView: 'stats-view',
  statsPeriod: 'stats-period',
  statsExport: 'stats-export',
  statsTotal: 'stats-total',
  statsTotals: 'stats-totals',
  statsChart: 'stats-chart',
  systemWebhooks: 'system-webhooks',
  webhookDialog: 'webhook-dialog',
  webhookSecretDialog: 'webhook-secret-dialog',
  webhookSecretValue: 'webhook-secret-value',
  webhookDeliveries: 'webhook-deliveries',
  webhookDeleteConfirm: 'webhook-delete-confirm',
  certGenerate: 'cert-generate',
  certBundle: 'cert-bundle',
  certManual: 'cert-manual',
  certGenerateDialog: 'cert-generate-dialog',
  certAlgorithm: 'cert-algorithm',
  certPem: 'cert-pem',
  certPemCopy: 'cert-pem-copy',
  certKeyWarning: 'cert-key-warning',
  certKeyDownload: 'cert-key-download',
  certBundleDialog: 'cert-bundle-dialog',
  certP12Download: 'cert-p12-download',
  certCaDownload: 'cert-ca-download',
  certManualDialog: 'cert-manual-dialog',
  certRevokeDialog: 'cert-revoke-dialog',
  certRevokeReason: 'cert-revoke-reason',
  certRevoke: 'cert-revoke',
  certEnabled: 'cert-enabled',
  certStatus: 'cert-status',
  certExpiringSoon: 'cert-expiring-soon',
  certFingerprint: 'cert-fingerprint',

  // Certificate authority
  caInfo: 'ca-info',
  caDownload: 'ca-download',
  caImport: 'ca-import',
  caImportDialog: 'ca-import-dialog',
  caFingerprint: 'ca-fingerprint',
  caCrlUrl: 'ca-crl-url',
  caOcspUrl: 'ca-ocsp-url',
  caHowTo: 'ca-how-to',

  // Client cabinet
  cabinetList: 'cabinet-list',
  cabinetSystem: 'cabinet-system',
  cabinetNotFound: 'cabinet-not-found',
  cabinetTabs: 'cabinet-tabs',
  cabinetStats: 'cabinet-stats',
  cabinetParams: 'cabinet-params',
  cabinetParamsSave: 'cabinet-params-save',
  cabinetCertificates: 'cabinet-certificates',
  cabinetCertValidity: 'cabinet-cert-validity',
  cabinetCaDownload: 'cabinet-ca-download',
  cabinetCertGenerate: 'cabinet-cert-generate',
  cabinetServices: 'cabinet-services',

  // Home dashboard
  dashboard: 'dashboard',
  dashboardRequests: 'dashboard-requests',
  dashboardRequestsTotal: 'dashboard-requests-total',
  dashboardRequestsErrors: 'dashboard-requests-errors',
  dashboardChart: 'dashboard-chart',
  dashboardCertificates: 'dashboard-certificates',
  dashboardTokens: 'dashboard-tokens',
  dashboardDeliveries: 'dashboard-deliveries',

  // Token statistics
  tokenTabs: 'token-tabs',
  tokenStats: 'token-stats',

  // Admin system form: the client cabinet's switches
  systemClientEditable: 'system-client-editable',
  systemClientMayIssue: 'system-client-may-issue',
} as const;

/** Filter selects of the DataTable get `filterTestId(key)`, e.g. `filter-active`. */
export const filterTestId = (key: string): string => `filter-${key}`;

export type TestId = (typeof TID)[keyof typeof TID];
