import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { api, errorMessage } from './api';
import { navigate } from './router';

/**
 * "我要参评" wherever it is offered: enter the household in a round (or find its entry there)
 * and open the editor; while it works and when it fails, the host re-renders with the state.
 */
export class RoundJoin implements ReactiveController {
  /** The round being entered now, or ''. */
  joining = '';
  error: { roundId: string; message: string } | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Why entering this round failed just now, or null. */
  errorFor(roundId: string): string | null {
    return this.error?.roundId === roundId ? this.error.message : null;
  }

  async join(roundId: string): Promise<void> {
    this.joining = roundId;
    this.error = null;
    this.host.requestUpdate();
    try {
      const { entryId } = await api.enterRound(roundId);
      navigate(`/entries/${encodeURIComponent(entryId)}/edit`);
    } catch (err) {
      this.error = { roundId, message: errorMessage(err) };
    } finally {
      this.joining = '';
      this.host.requestUpdate();
    }
  }
}
