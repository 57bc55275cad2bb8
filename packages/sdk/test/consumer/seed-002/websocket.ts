import { QuickCart } from '@quickcart/sdk';
import WebSocket from 'ws';

const wss = new WebSocket.Server({ port: 8080 });
const kgiton = new QuickCart({
  baseUrl: process.env.KGITON_API_URL!,
  apiKey: process.env.KGITON_API_KEY!,
});

wss.on('connection', (ws) => {
  ws.on('message', async (message) => {
    const data = JSON.parse(message.toString());

    if (data.type === 'create_payment') {
      // Generate QRIS
      const qris = await kgiton.payment.generateQRIS(data.payload);
      ws.send(JSON.stringify({ type: 'qris_created', data: qris }));

      // Start polling
      try {
        const result = await kgiton.payment.waitForPayment(qris.transaction_id, {
          timeout: 120000,
          interval: 2000,
        });
        ws.send(JSON.stringify({ type: 'payment_status', data: result }));
      } catch {
        ws.send(JSON.stringify({ type: 'payment_timeout' }));
      }
    }
  });
});
