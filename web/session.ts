import { ContextProvider, createContext } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { can } from '../server/domain/permissions';
import { api, type Campaign, type Role, type RoleKind, type User } from './api';

/** Who is signed in, shared from the app shell down to every page through @lit/context. */
export interface Session {
  /** False until the first `GET /api/session` has answered. */
  ready: boolean;
  user: User | null;
  /** Replace the signed-in user (after login, or after registering a household). */
  setUser(user: User | null): void;
  /** Ask the server again who is signed in. */
  refresh(): Promise<User | null>;
  signOut(): Promise<void>;
}

export const sessionContext = createContext<Session>(Symbol('courtyard-session'));

const STAFF_ROLES: readonly RoleKind[] = ['village_cadre', 'town_admin', 'grid_worker'];

/** Whether the account may open the cadre console at all. */
export function isStaff(user: User | null | undefined): boolean {
  return !!user?.roles.some((r: Role) => STAFF_ROLES.includes(r.kind));
}

const actorOf = (user: User) => ({ accountId: user.id, roles: user.roles, householdId: null });

/** Whether the account manages a village (its cadre, or the town admin of its town). */
export function managesVillage(user: User | null | undefined, village: Campaign['villages'][number]): boolean {
  return !!user && can.moderateEntries(actorOf(user), village);
}

/**
 * Whether the account runs a campaign: opens it, moves its rounds, computes and announces its
 * results, settles objections, issues plates. The server's rule: whoever manages every one of
 * its villages, so a campaign of several villages is its town admin's.
 */
export function runsCampaign(user: User | null | undefined, campaign: Pick<Campaign, 'villages'>): boolean {
  return !!user && can.runCampaign(actorOf(user), campaign.villages);
}

/**
 * Where someone lands after signing in when nothing else was asked for: their work. Cadres and
 * grid workers the console, panel members their scoring queue, everyone else 我的家庭.
 */
export function startPageOf(user: User): string {
  if (isStaff(user)) return '/console';
  if (user.panelMember) return '/panel';
  return '/me';
}

/** The town a town admin oversees (the first, if several): its dashboard is offered in the navigation. */
export function townOf(user: User | null | undefined): string | null {
  return user?.roles.find((r) => r.kind === 'town_admin')?.scopeId ?? null;
}

/**
 * Owns the session for the app shell and provides it to descendants. Every change provides a
 * new object, so consumers with `subscribe: true` re-render.
 */
export class SessionController implements ReactiveController {
  private readonly provider: ContextProvider<typeof sessionContext>;
  private value: Session;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    this.value = this.make(false, null);
    this.provider = new ContextProvider(host, { context: sessionContext, initialValue: this.value });
    host.addController(this);
  }

  get session(): Session {
    return this.value;
  }

  hostConnected(): void {
    if (!this.value.ready) void this.refresh();
  }

  private make(ready: boolean, user: User | null): Session {
    return {
      ready,
      user,
      setUser: (u) => this.set(true, u),
      refresh: () => this.refresh(),
      signOut: () => this.signOut(),
    };
  }

  private set(ready: boolean, user: User | null): void {
    this.value = this.make(ready, user);
    this.provider.setValue(this.value);
    this.host.requestUpdate();
  }

  private async refresh(): Promise<User | null> {
    try {
      const user = await api.me();
      this.set(true, user);
      return user;
    } catch {
      // offline or server down: treat as signed out, pages say what went wrong when they load
      this.set(true, this.value.user);
      return this.value.user;
    }
  }

  private async signOut(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.set(true, null);
    }
  }
}
