import type { ReactNode } from 'react';
import { usePermissions } from '../api/auth';
import type { Permission } from '../api/types';

interface PermissionGateProps {
  permission: Permission;
  children: ReactNode;
  fallback?: ReactNode;
}

/** PermissionGate renders its children only for users holding the permission (the UI hides; the server decides). */
export function PermissionGate({ permission, children, fallback = null }: PermissionGateProps) {
  const { has } = usePermissions();
  return <>{has(permission) ? children : fallback}</>;
}
