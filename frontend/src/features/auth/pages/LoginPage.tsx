// The sign-in page: login + password, one button per active OpenID provider; wrong
// credentials, throttling and refusals of external sign-ins (?error=<code>) shown as an alert.
import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Checkbox from "antd/es/checkbox";
import Divider from "antd/es/divider";
import Form from "antd/es/form";
import Input from "antd/es/input";
import {
  isChallenge,
  oidcStartUrl,
  useLogin,
  useMe,
  usePasskeyLogin,
  useSignInButtons,
  type LoginInput,
} from "../../../api/auth";
import { isApiError } from "../../../api/http";
import { LanguageSwitcher } from "../../../components/LanguageSwitcher";
import { errorMessage } from "../../../lib/errors";
import { safeNext } from "../../../lib/safeNext";
import { TID } from "../../../testids";
import { SecondFactorStep } from "../components/SecondFactorStep";
import { CertificateSignIn } from "../components/CertificateSignIn";

function loginErrorText(t: TFunction, err: unknown): string {
  if (isApiError(err)) {
    if (err.code === "auth.invalidCredentials")
      return t("login.invalidCredentials");
    if (err.status === 429 || err.code === "auth.tooManyAttempts") {
      return err.retryAfter
        ? t("login.tooManyAttemptsRetry", { seconds: err.retryAfter })
        : t("login.tooManyAttempts");
    }
    if (
      err.code === "webauthn.invalidAssertion" ||
      err.code === "webauthn.signCountRegressed"
    )
      return t("login.passkeyFailed");
    if (err.code === "webauthn.unsupportedHost")
      return t("login.passkeyUnsupportedHost");
  }
  if (
    err instanceof Error &&
    (err.name === "NotAllowedError" || err.name === "AbortError")
  )
    return t("login.passkeyCancelled");
  return errorMessage(t, err);
}

/** externalErrorText translates the code an external sign-in came back with (?error=…). */
export function externalErrorText(t: TFunction, code: string): string {
  if (!/^[a-zA-Z]+\.[a-zA-Z]+$/.test(code)) return t("login.externalFailed");
  const text = t(`errors.${code}`, { defaultValue: "" });
  return typeof text === "string" && text !== ""
    ? text
    : t("login.externalFailed");
}

/** LoginValues is the form: the credentials and "Remember me" (a cookie that outlives the browser). */
type LoginValues = LoginInput & { remember_me?: boolean };

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const me = useMe();
  const login = useLogin();
  const buttons = useSignInButtons();
  const externalError = params.get("error");
  // challenge is set when the password was right and a second factor is due.
  const [challenge, setChallenge] = useState<string | null>(null);
  const [factors, setFactors] = useState<string[]>([]);
  const passkey = usePasskeyLogin();

  // Already signed in: go straight on.
  useEffect(() => {
    if (me.data) navigate(next, { replace: true });
  }, [me.data, navigate, next]);

  const onFinish = (values: LoginValues) => {
    // remember_me goes only when ticked: the server's default is a cookie for this browser session.
    const body: LoginValues = {
      login: values.login,
      password: values.password,
      ...(values.remember_me ? { remember_me: true } : {}),
    };
    login.mutate(body, {
      onSuccess: (r) => {
        if (isChallenge(r)) {
          setFactors(r.second_factors ?? [r.second_factor]);
          setChallenge(r.challenge);
        } else navigate(next, { replace: true });
      },
    });
  };

  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        flexDirection: "column",
        alignItems: "center",
        justifyContent: "center",
        background: "#f0f2f5",
        padding: 16,
      }}
    >
      <div style={{ position: "absolute", top: 16, right: 16 }}>
        <LanguageSwitcher />
      </div>
      <Card style={{ width: 380, maxWidth: "100%" }}>
        <h1
          style={{
            textAlign: "center",
            marginTop: 0,
            marginBottom: 8,
            fontSize: 30,
            fontWeight: 600,
          }}
          data-testid={TID.productName}
        >
          Custos
        </h1>
        <p
          style={{
            textAlign: "center",
            color: "rgba(0, 0, 0, 0.55)",
            marginTop: 0,
            marginBottom: 16,
          }}
        >
          {t("login.title")}
        </p>
        {challenge && (
          <SecondFactorStep
            challenge={challenge}
            factors={factors}
            onDone={() => navigate(next, { replace: true })}
            onRestart={() => {
              setChallenge(null);
              login.reset();
            }}
          />
        )}
        {!challenge && passkey.isError && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid={TID.loginError}
            style={{ marginBottom: 16 }}
            message={loginErrorText(t, passkey.error)}
          />
        )}
        {!challenge &&
          !passkey.isError &&
          (login.isError || (externalError && login.isIdle)) && (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid={TID.loginError}
              style={{ marginBottom: 16 }}
              message={
                login.isError
                  ? loginErrorText(t, login.error)
                  : externalErrorText(t, externalError ?? "")
              }
            />
          )}
        {!challenge && (
          <CertificateSignIn
            rememberMe={false}
            onStart={() => {
              login.reset();
              passkey.reset();
            }}
            onDone={() => navigate(next, { replace: true })}
          />
        )}
        <Form<LoginValues>
          style={challenge ? { display: "none" } : undefined}
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          initialValues={{ remember_me: false }}
          data-testid={TID.loginForm}
          disabled={login.isPending}
        >
          <Form.Item
            label={t("login.login")}
            name="login"
            rules={[{ required: true, message: t("fieldErrors.required") }]}
          >
            <Input
              autoComplete="username"
              autoFocus
              data-testid={TID.loginInput}
            />
          </Form.Item>
          <Form.Item
            label={t("login.password")}
            name="password"
            rules={[{ required: true, message: t("fieldErrors.required") }]}
          >
            <Input.Password
              autoComplete="current-password"
              data-testid={TID.loginPassword}
            />
          </Form.Item>
          <Form.Item
            name="remember_me"
            valuePropName="checked"
            style={{ marginTop: -8 }}
          >
            <Checkbox data-testid={TID.loginRememberMe}>
              {t("login.rememberMe")}
            </Checkbox>
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={login.isPending}
            data-testid={TID.loginSubmit}
          >
            {t("login.submit")}
          </Button>
        </Form>
        {!challenge && (
          <Button
            block
            style={{ marginTop: 8 }}
            loading={passkey.isPending}
            data-testid={TID.loginPasskey}
            onClick={() => {
              login.reset();
              passkey.mutate(false, {
                onSuccess: () => navigate(next, { replace: true }),
              });
            }}
          >
            {t("login.signInWithPasskey")}
          </Button>
        )}
        {!challenge && buttons.data && buttons.data.length > 0 && (
          <div data-testid={TID.loginProviders}>
            <Divider plain style={{ color: "rgba(0, 0, 0, 0.45)" }}>
              {t("login.orSignInWith")}
            </Divider>
            {buttons.data.map((b) => (
              <Button
                key={b.id}
                block
                href={oidcStartUrl(b.id, next)}
                style={{ marginBottom: 8 }}
              >
                {b.label}
              </Button>
            ))}
          </div>
        )}
      </Card>
    </div>
  );
}
