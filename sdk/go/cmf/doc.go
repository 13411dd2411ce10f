// Manage Confluent Manager for Apache Flink (CMF) environments and Flink applications as code, from any Pulumi language.
package cmf
