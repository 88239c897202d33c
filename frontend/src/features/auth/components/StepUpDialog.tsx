// The step-up dialog: an operation that matters answered 401 auth.stepUpRequired, so the
// person proves their second factor again in place (a code, a recovery code or a passkey);
// the API client then repeats the operation.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Modal from "antd/es/modal";
import { isApiError } from "../../../api/http";
import { errorMessage } from "../../../lib/errors";
import { useStepUpCode, useStepUpPasskey } from "../api/stepup";
import "../../../i18n/sections/stepup";

interface StepUpDialogProps {
  open: boolean;
  /** What the server accepts: "totp", "recovery_code", "webauthn". */
  methods: string[];
  onDone: () => void;
  onCancel: () => void;
}

function failureText(t: TFunction, err: unknown): string {
  if (isApiError(err)) {
    if (err.code === "mfa.invalidCode") return t("stepUp.invalidCode");
    if (err.code === "mfa.codeReused") return t("stepUp.codeReused");
    if (err.code.startsWith("webauthn.") && err.code !== "webauthn.unsupportedHost") return t("stepUp.passkeyFailed");
    if (err.status === 429) return t("stepUp.tooManyAttempts", { seconds: err.retryAfter ?? 60 });
  }
  if (err instanceof Error && (err.name === "NotAllowedError" || err.name === "AbortError")) return t("stepUp.passkeyCancelled");
  return errorMessage(t, err);
}

export function StepUpDialog({ open, methods, onDone, onCancel }: StepUpDialogProps) {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const [form] = Form.useForm<{ code: string }>();
  const code = useStepUpCode();
  const passkey = useStepUpPasskey();
  const hasTotp = methods.includes("totp");
  const hasPasskey = methods.includes("webauthn");
  const failure = code.isError ? code.error : passkey.isError ? passkey.error : null;
  const reset = () => {
    code.reset();
    passkey.reset();
    form.resetFields();
    setRecovery(false);
  };
  const submit = ({ code: value }: { code: string }) => {
    passkey.reset();
    const body = recovery ? { recovery_code: value.trim() } : { code: value.replace(/\s/g, "") };
    code.mutate(body, {
      onSuccess: () => {
        reset();
        onDone();
      },
      onError: () => form.setFieldValue("code", ""),
    });
  };
  const usePasskey = () => {
    code.reset();
    passkey.mutate(undefined, {
      onSuccess: () => {
        reset();
        onDone();
      },
    });
  };
  const cancel = () => {
    reset();
    onCancel();
  };
  return (
    <Modal open={open} title={t("stepUp.title")} onCancel={cancel} footer={null} destroyOnHidden maskClosable={false}>
      <p>{hasTotp ? t("stepUp.intro") : t("stepUp.introPasskey")}</p>
      {failure && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={failureText(t, failure)} />
      )}
      {hasPasskey && !recovery && (
        <Button
          type={hasTotp ? "default" : "primary"}
          block
          loading={passkey.isPending}
          onClick={usePasskey}
          style={{ marginBottom: 16 }}
        >
          {t("stepUp.usePasskey")}
        </Button>
      )}
      {hasTotp && (
        <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} disabled={code.isPending}>
          <Form.Item
            label={recovery ? t("stepUp.recoveryCode") : t("stepUp.code")}
            name="code"
            rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }]}
          >
            <Input
              autoFocus
              autoComplete="one-time-code"
              inputMode={recovery ? "text" : "numeric"}
              maxLength={recovery ? 40 : 8}
            />
          </Form.Item>
          <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 8 }}>
            <Button
              type="link"
              size="small"
              style={{ padding: 0 }}
              onClick={() => {
                setRecovery(!recovery);
                form.resetFields();
                code.reset();
              }}
            >
              {recovery ? t("stepUp.useAppCode") : t("stepUp.useRecoveryCode")}
            </Button>
            <span style={{ display: "flex", gap: 8 }}>
              <Button onClick={cancel}>{t("stepUp.cancel")}</Button>
              <Button type="primary" htmlType="submit" loading={code.isPending}>
                {t("stepUp.confirm")}
              </Button>
            </span>
          </div>
        </Form>
      )}
      {!hasTotp && (
        <div style={{ display: "flex", justifyContent: "flex-end" }}>
          <Button onClick={cancel}>{t("stepUp.cancel")}</Button>
        </div>
      )}
    </Modal>
  );
}
