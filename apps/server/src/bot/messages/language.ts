/** Texts of /language (the language switch). The button labels name each language in itself. */

export const languageId = {
  languagePrompt: '🌐 Pilih bahasa / Choose a language:',
  buttonLanguageId: '🇮🇩 Bahasa Indonesia',
  buttonLanguageEn: '🇬🇧 English',
  languageChanged: '✅ Bahasa diganti ke Bahasa Indonesia.\n\n🏠 Menu utama. Silakan pilih:',
};

/** /language texts in English (the same keys as `languageId`). */
export const languageEn: typeof languageId = {
  languagePrompt: '🌐 Choose a language / Pilih bahasa:',
  buttonLanguageId: '🇮🇩 Bahasa Indonesia',
  buttonLanguageEn: '🇬🇧 English',
  languageChanged: '✅ Language changed to English.\n\n🏠 Main menu. Please choose:',
};
