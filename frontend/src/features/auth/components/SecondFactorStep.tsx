// The login page's second step: a passkey, the 6-digit code from the authenticator app, or
// one recovery code — whichever the account has. An expired or spent challenge sends the
// person back to the password.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { usePasskeySecondFactor, useSecondFactor } from "../../../api/auth";
import { isApiError } from "../../../api/http";
import { errorMessage } from "../../../lib/errors";
import { TID } from "../../../testids";
import { CertificateFactor } from "./CertificateFactor";

interface SecondFactorStepProps {
  challenge: string;
  /** The factors the account can give ("totp", "webauthn"); the first is asked first. */
  factors?: string[];
  onDone: () => void;
  onRestart: () => void;
}

function stepErrorText(t: TFunction, err: unknown): string {
  if (isApiError(err)) {
    if (err.code === "mfa.invalidCode") return t("login.invalidCode");
    if (err.code === "mfa.codeReused") return t("login.codeReused");
    if (err.code === "mfa.challengeInvalid") return t("login.challengeExpired");
    if (
      err.code === "webauthn.invalidAssertion" ||
      err.code === "webauthn.signCountRegressed"
    )
      return t("login.passkeyFailed");
    if (err.code === "webauthn.unsupportedHost")
      return t("login.passkeyUnsupportedHost");
    if (err.status === 429) {
      return err.retryAfter
        ? t("login.tooManyAttemptsRetry", { seconds: err.retryAfter })
        : t("login.tooManyAttempts");
    }
  }
  if (
    err instanceof Error &&
    (err.name === "NotAllowedError" || err.name === "AbortError")
  )
    return t("login.passkeyCancelled");
  return errorMessage(t, err);
}

export function SecondFactorStep({
  challenge,
  factors = ["totp"],
  onDone,
  onRestart,
}: SecondFactorStepProps) {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const [form] = Form.useForm<{ code: string }>();
  const verify = useSecondFactor();
  const passkey = usePasskeySecondFactor();
  const hasTotp = factors.includes("totp");
  const hasPasskey = factors.includes("webauthn");
  const expired =
    (isApiError(verify.error) &&
      verify.error.code === "mfa.challengeInvalid") ||
    (isApiError(passkey.error) &&
      passkey.error.code === "mfa.challengeInvalid");
  const usePasskey = () => {
    verify.reset();
    passkey.mutate(challenge, { onSuccess: onDone });
  };
  const failure = verify.isError
    ? verify.error
    : passkey.isError
    ? passkey.error
    : null;
  const submit = ({ code }: { code: string }) => {
    const body = recovery
      ? { challenge, recovery_code: code.trim() }
      : { challenge, code: code.replace(/\s/g, "") };
    verify.mutate(body, {
      onSuccess: onDone,
      onError: () => form.setFieldValue("code", ""),
    });
  };
  const toggle = () => {
    setRecovery(!recovery);
    form.resetFields();
    verify.reset();
  };
  return (
    <div data-testid={TID.loginSecondFactor}>
      <p style={{ marginTop: 0 }}>
        {recovery
          ? t("login.recoveryTitle")
          : hasTotp
          ? t("login.secondFactorTitle")
          : t("login.passkeyTitle")}
      </p>
      {failure && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid={TID.loginError}
          style={{ marginBottom: 16 }}
          message={stepErrorText(t, failure)}
        />
      )}
      {factors.includes("certificate") && !recovery && (
        <CertificateFactor challenge={challenge} onDone={onDone} />
      )}
      {hasPasskey && !recovery && (
        <Button
          type={hasTotp ? "default" : "primary"}
          block
          loading={passkey.isPending}
          disabled={expired}
          onClick={usePasskey}
          style={{ marginBottom: hasTotp ? 16 : 0 }}
          data-testid={TID.loginUsePasskey}
        >
          {t("login.usePasskey")}
        </Button>
      )}
      {hasTotp && (
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          disabled={verify.isPending || expired}
        >
          <Form.Item
            label={recovery ? t("login.recoveryCode") : t("login.code")}
            name="code"
            rules={[
              {
                required: true,
                whitespace: true,
                message: t("fieldErrors.required"),
              },
            ]}
          >
            <Input
              autoFocus
              autoComplete="one-time-code"
              inputMode={recovery ? "text" : "numeric"}
              maxLength={recovery ? 40 : 8}
              data-testid={TID.loginCode}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={verify.isPending}
            data-testid={TID.loginVerify}
          >
            {t("login.verify")}
          </Button>
        </Form>
      )}
      <div
        style={{
          display: "flex",
          flexWrap: "wrap",
          justifyContent: "space-between",
          gap: "4px 16px",
          marginTop: 12,
        }}
      >
        {hasTotp ? (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={toggle}
            disabled={expired}
          >
            {recovery ? t("login.useAppCode") : t("login.useRecoveryCode")}
          </Button>
        ) : (
          <span />
        )}
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={onRestart}
        >
          {t("login.back")}
        </Button>
      </div>
    </div>
  );
}
