import { z } from "zod";

/** `GET /system-information`. */
export const SystemInformationSchema = z.looseObject({
  status: z.looseObject({ version: z.string().nullish(), revision: z.string().nullish() }).nullish(),
});
export type SystemInformation = z.infer<typeof SystemInformationSchema>;

const countsByState = z.record(z.string(), z.number().int());

/** `GET /resource-information`: counts of every kind of object CMF manages, and the resources they use. */
export const ResourceInformationSchema = z.looseObject({
  status: z
    .looseObject({
      resources: z
        .looseObject({
          environments: z.number().int().nullish(),
          applications: countsByState.nullish(),
          computePools: z.number().int().nullish(),
          statements: countsByState.nullish(),
          secrets: z.number().int().nullish(),
          catalogs: z.number().int().nullish(),
          savepoints: z.number().int().nullish(),
          detachedSavepoints: z.number().int().nullish(),
          kubernetesClusters: countsByState.nullish(),
        })
        .nullish(),
      resourceSummary: z.looseObject({ cpu: z.number().nullish(), memory: z.number().nullish() }).nullish(),
    })
    .nullish(),
});
export type ResourceInformation = z.infer<typeof ResourceInformationSchema>;

/** `GET /c3/license`: the licence Control Center shows. */
export const C3LicenseInformationSchema = z.looseObject({
  kind: z.string().nullish(),
  status: z
    .looseObject({
      status: z.string().nullish(),
      licenseType: z.string().nullish(),
      expiration: z.number().int().nullish(),
    })
    .nullish(),
});
export type C3LicenseInformation = z.infer<typeof C3LicenseInformationSchema>;
