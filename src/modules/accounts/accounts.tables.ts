import type { Generated } from 'kysely';

/** Kysely table types of the accounts module (businesses and their people). Times are epoch ms. */
export interface BusinessesTable {
  id: string;
  name: string;
  /** JSON array of country codes (US, DE, …) the business operates in. */
  marketplaces: string;
  created_at: number;
  updated_at: number;
}

export interface LegalEntitiesTable {
  id: string;
  business_id: string;
  name: string;
  created_at: number;
}

export interface GroupsTable {
  id: string;
  business_id: string;
  name: string;
  group_tag: string;
  created_at: number;
  /** 1: every order of the group is a trial (placed through the whole pipeline, never kept). */
  test_mode: Generated<number>;
  /** The group's stored payment method (a label such as "Visa ending 4242"); null: none, the group cannot order. */
  payment_method: string | null;
  /** JSON PostalAddress: where the group's orders ship when a request names no address. */
  shipping_address: string | null;
  /** Orders above this total (minor units of the order's currency) wait for an administrator's approval; null: no limit. */
  approval_limit_minor: number | null;
}

export interface BusinessUsersTable {
  id: string;
  business_id: string;
  email: string;
  name: string;
  /** pending: created through the User Management API, not yet activated (its email is refused by the APIs). */
  status: 'active' | 'disabled' | 'pending';
  role: 'Administrator' | 'Requisitioner' | 'Finance' | 'Tech' | 'PunchoutUser';
  password_hash: string | null;
  /** 1 when account matching and clearing (MACE) has not cleared this email. */
  mace_hold: number;
  created_at: number;
  updated_at: number;
}

export interface UserAdminEntitiesTable {
  user_id: string;
  legal_entity_id: string;
}

export interface UserGroupsTable {
  user_id: string;
  group_id: string;
}

export interface BuyingPoliciesTable {
  id: string;
  business_id: string;
  guidance: 'PREFERRED' | 'RESTRICTED' | 'BLOCKED';
  match_type: 'asin' | 'brand' | 'category';
  value: string;
  created_at: number;
}
