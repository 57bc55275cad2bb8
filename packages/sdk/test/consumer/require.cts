// A CommonJS consumer: `require('@quickcart/sdk')` gets the dist-cjs build and its types.
import sdk = require('@quickcart/sdk');

const qc = new sdk.QuickCart({ baseUrl: 'https://pay.example.com', apiKey: 'qc_test_key' });
export async function status(id: string): Promise<sdk.PaymentStatusValue | sdk.ErrorCode> {
  try {
    return (await qc.payment.checkPaymentStatus(id)).status;
  } catch (error) {
    if (error instanceof sdk.ApiError) return error.code;
    throw error;
  }
}
export const type: sdk.PartnerPaymentType = sdk.PartnerPaymentType.CHECKOUT_PAGE;
