/** Where one-time codes and notifications leave the system: console in development, SMS gateway or webhook in production. */
export interface Delivery {
  send(message: { channel: 'sms'; to: string; text: string }): Promise<void>;
}

export function consoleDelivery(log: (line: string) => void = (l) => console.log(l)): Delivery {
  return {
    async send(m) {
      log(`[delivery] ${m.channel} to ${m.to}: ${m.text}`);
    },
  };
}

/** POSTs each message as JSON to a gateway the deployment runs (an SMS provider's bridge). */
export function webhookDelivery(url: string): Delivery {
  return {
    async send(m) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(m),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`delivery webhook answered ${res.status}`);
    },
  };
}

/** Keeps messages in memory; tests read what was sent. */
export function memoryDelivery(): Delivery & { sent: Array<{ to: string; text: string }> } {
  const sent: Array<{ to: string; text: string }> = [];
  return {
    sent,
    async send(m) {
      sent.push({ to: m.to, text: m.text });
    },
  };
}
