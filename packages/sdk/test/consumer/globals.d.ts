// What the seeds' snippets use without defining it: the POS app's order and screen, the shop's
// order store. The tests define them at run time.
export {};

declare global {
  interface Order {
    id: string;
    licenseKey: string;
    total: number;
    storeId: string;
    items: { name: string }[];
  }
  var order: Order;
  var displayQRIS: (qrisImageUrl: string) => void;
  var completeOrder: (order: Order) => void;
  var updateOrderStatus: (transactionId: string, status: string) => Promise<void>;
}
