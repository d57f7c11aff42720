import type { AnnotationService } from '../../../annotation/annotation-service.js';

export interface AnnotateRouteOptions {
  service: AnnotationService;
}
