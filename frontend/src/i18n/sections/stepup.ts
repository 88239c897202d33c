// The strings of the step-up dialog (a second factor asked again before an operation that
// matters), added to i18next by the dialog's module so the shared resources stay as they are.
import i18n from '../index';

export const stepUpEn = {
  stepUp: {
    title: 'Confirm it is you',
    intro: 'This action matters: confirm it with your second factor. It is then done at once.',
    introPasskey: 'This action matters: confirm it with one of your passkeys. It is then done at once.',
    code: 'Code from the authenticator app',
    recoveryCode: 'Recovery code',
    useRecoveryCode: 'Use a recovery code',
    useAppCode: 'Use the authenticator app',
    usePasskey: 'Use a passkey',
    confirm: 'Confirm',
    cancel: 'Cancel',
    invalidCode: 'The code is wrong or has expired.',
    codeReused: 'This code was already used. Wait for the next one.',
    passkeyFailed: 'The passkey could not be verified.',
    passkeyCancelled: 'No passkey was used (cancelled, timed out or not available).',
    tooManyAttempts: 'Too many attempts. Try again in {{seconds}} s.',
  },
  errors: {
    auth: { stepUpRequired: 'Not done: this action needs your second factor, and it was not confirmed.' },
  },
};

export const stepUpRu: typeof stepUpEn = {
  stepUp: {
    title: 'Подтвердите, что это вы',
    intro: 'Это важное действие: подтвердите его вторым фактором, и оно сразу будет выполнено.',
    introPasskey: 'Это важное действие: подтвердите его одним из ключей доступа, и оно сразу будет выполнено.',
    code: 'Код из приложения-аутентификатора',
    recoveryCode: 'Код восстановления',
    useRecoveryCode: 'Ввести код восстановления',
    useAppCode: 'Ввести код из приложения',
    usePasskey: 'Использовать ключ доступа',
    confirm: 'Подтвердить',
    cancel: 'Отмена',
    invalidCode: 'Код неверен или устарел.',
    codeReused: 'Этот код уже использован. Дождитесь следующего.',
    passkeyFailed: 'Ключ доступа не удалось проверить.',
    passkeyCancelled: 'Ключ доступа не использован (отменено, истекло время или ключа нет).',
    tooManyAttempts: 'Слишком много попыток. Повторите через {{seconds}} с.',
  },
  errors: {
    auth: { stepUpRequired: 'Не выполнено: для этого действия нужен второй фактор, а он не подтверждён.' },
  },
};

i18n.addResourceBundle('en', 'translation', stepUpEn, true, false);
i18n.addResourceBundle('ru', 'translation', stepUpRu, true, false);
