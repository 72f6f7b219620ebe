// Live refresh: runs `tick` every `intervalMs` while the tab is visible, never two at
// once, and stops while the tab is hidden (visibilitychange), refreshing at once when
// it is shown again. A hidden dashboard costs Queue nothing.

export class LiveRefresh {
  constructor(intervalMs, tick, onState) {
    this.intervalMs = intervalMs;
    this.tick = tick;
    this.onState = onState;  // ('live' | 'hidden' | 'error', Date | null)
    this.timer = null;
    this.running = false;
    this.again = false;  // a tick was asked for while one ran: run another right after it
    document.addEventListener('visibilitychange', () => this.visibilityChanged());
  }

  start() {
    this.stop();
    if (document.visibilityState === 'hidden') {
      this.onState('hidden', null);
      return;
    }
    this.schedule(this.intervalMs);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  // Runs a tick now (after a user's action) and keeps the rhythm from there.
  async now() {
    this.stop();
    await this.run();
  }

  visibilityChanged() {
    if (document.visibilityState === 'hidden') {
      this.stop();
      this.onState('hidden', null);
    } else {
      this.now();
    }
  }

  schedule(delay) {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, delay);
  }

  async run() {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      await this.tick();
      this.onState('live', new Date());
    } catch (error) {
      this.onState('error', error);
    } finally {
      this.running = false;
      const delay = this.again ? 0 : this.intervalMs;
      this.again = false;
      if (document.visibilityState !== 'hidden' && this.timer === null) this.schedule(delay);
    }
  }
}
