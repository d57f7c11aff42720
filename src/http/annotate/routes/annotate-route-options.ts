import type { AnnotationService } from '../../../app/annotation/annotation-service.js';

export interface AnnotateRouteOptions {
  service: AnnotationService;
}
